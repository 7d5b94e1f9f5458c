using Fresco.Core.Data;
using Fresco.Evaluation.Splits;
using Xunit;

namespace Fresco.Evaluation.Tests.Splits;

public sealed class KFoldSplitTests
{
    [Fact]
    public void EveryInteractionIsTestedExactlyOnce()
    {
        var table = SyntheticTables.Mixed();
        var folds = KFoldSplit.Split(table, 4, seed: 2);
        Assert.Equal(4, folds.Length);
        SplitAssert.Partitions(table, [.. folds.Select(f => f.Test)]);
        foreach (var fold in folds)
        {
            SplitAssert.Partitions(table, fold.Train, fold.Test);
            Assert.Empty(SplitAssert.Pairs(fold.Train).Intersect(SplitAssert.Pairs(fold.Test)));
        }
    }

    [Fact]
    public void FoldsHaveNearEqualPairCounts()
    {
        var table = SyntheticTables.Mixed();
        var pairs = SplitAssert.Pairs(table).Count;
        var sizes = KFoldSplit.Split(table, 3, seed: 2).Select(f => SplitAssert.Pairs(f.Test).Count).ToArray();
        Assert.Equal(pairs, sizes.Sum());
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
    }

    [Fact]
    public void SameSeedSameFolds()
    {
        var table = SyntheticTables.Mixed();
        var a = KFoldSplit.Split(table, 3, seed: 9);
        var b = KFoldSplit.Split(table, 3, seed: 9);
        for (var f = 0; f < 3; f++)
        {
            Assert.Equal(a[f].Test.Rows.ToArray(), b[f].Test.Rows.ToArray());
        }
    }

    [Fact]
    public void FewerPairsThanFoldsIsAnError()
    {
        var table = new InteractionTable();
        table.Add("u", "i", "view");
        Assert.Throws<InvalidOperationException>(() => KFoldSplit.Split(table, 2, 1));
    }
}
