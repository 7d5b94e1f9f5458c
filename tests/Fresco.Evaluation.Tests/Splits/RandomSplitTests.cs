using Fresco.Evaluation.Splits;
using Xunit;

namespace Fresco.Evaluation.Tests.Splits;

public sealed class RandomSplitTests
{
    [Fact]
    public void PartsAreDisjointByPairAndCoverTheTable()
    {
        var table = SyntheticTables.Mixed();
        var split = RandomSplit.Split(table, 0.2, seed: 1);
        SplitAssert.Partitions(table, split.Train, split.Test);
        Assert.Empty(SplitAssert.Pairs(split.Train).Intersect(SplitAssert.Pairs(split.Test)));
    }

    [Fact]
    public void HoldsOutTheFractionOfPairs()
    {
        var table = SyntheticTables.Mixed();
        var pairs = SplitAssert.Pairs(table).Count;
        var split = RandomSplit.Split(table, 0.25, seed: 3);
        Assert.Equal((int)Math.Round(0.25 * pairs), SplitAssert.Pairs(split.Test).Count);
    }

    [Fact]
    public void SameSeedSameSplitAndOtherSeedAnother()
    {
        var table = SyntheticTables.Mixed();
        var a = RandomSplit.Split(table, 0.2, seed: 5);
        var b = RandomSplit.Split(table, 0.2, seed: 5);
        var c = RandomSplit.Split(table, 0.2, seed: 6);
        Assert.Equal(a.Test.Rows.ToArray(), b.Test.Rows.ToArray());
        Assert.NotEqual(a.Test.Rows.ToArray(), c.Test.Rows.ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void FractionOutsideTheOpenIntervalIsRejected(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomSplit.Split(SyntheticTables.Mixed(), fraction, 1));
}
