using Fresco.Core.Data;
using Fresco.Evaluation.Splits;
using Xunit;

namespace Fresco.Evaluation.Tests.Splits;

public sealed class TemporalSplitTests
{
    [Fact]
    public void TheLatestInteractionsAreTheTest()
    {
        var table = SyntheticTables.Mixed();
        var split = TemporalSplit.Split(table, 0.2);
        SplitAssert.Partitions(table, split.Train, split.Test);
        Assert.Equal((int)Math.Round(0.2 * table.Count), split.Test.Count);
        var latestTrain = split.Train.Rows.ToArray().Max(r => r.Timestamp);
        var earliestTest = split.Test.Rows.ToArray().Min(r => r.Timestamp);
        Assert.True(latestTrain <= earliestTest, $"train reaches {latestTrain}, test starts at {earliestTest}");
    }

    [Fact]
    public void WithoutTimestampsTheSplitIsAnErrorNotFileOrder()
    {
        var table = new InteractionTable();
        for (var i = 0; i < 10; i++)
        {
            table.Add($"u{i % 3}", $"i{i}", "view");
        }
        var e = Assert.Throws<InvalidOperationException>(() => TemporalSplit.Split(table, 0.3));
        Assert.Equal("The temporal split needs timestamps, and none of the 10 interactions has one; use random, leave-last-out or kfold.", e.Message);
    }
}
