using Fresco.Core.Data;
using Fresco.Evaluation.Splits;
using Xunit;

namespace Fresco.Evaluation.Tests.Splits;

public sealed class LeaveLastOutSplitTests
{
    [Fact]
    public void PicksTheLatestAsTestAndTheSecondLatestAsValidation()
    {
        var table = new InteractionTable();
        // Out of time order in the table: b (t=30) is last, d (t=20) second to last.
        table.Add("u", "a", "view", 1, 10);
        table.Add("u", "b", "view", 1, 30);
        table.Add("u", "c", "view", 1, 5);
        table.Add("u", "d", "view", 1, 20);
        var split = LeaveLastOutSplit.Split(table);
        Assert.Equal(["b"], Items(split.Test));
        Assert.Equal(["a", "c", "d"], Items(split.Train));
        Assert.NotNull(split.Validation);
        Assert.Equal(["d"], Items(split.Validation.Test));
        Assert.Equal(["a", "c"], Items(split.Validation.Train));
    }

    [Fact]
    public void TiesAndMissingTimestampsFallBackToTableOrder()
    {
        var table = new InteractionTable();
        foreach (var item in new[] { "x", "y", "z", "w" })
        {
            table.Add("u", item, "view");
        }
        table.Add("v", "p", "view", 1, 7);
        table.Add("v", "q", "view", 1, 7);
        table.Add("v", "r", "view", 1, 7);
        var split = LeaveLastOutSplit.Split(table);
        Assert.Equal(["w", "r"], Items(split.Test));
        Assert.Equal(["z", "q"], Items(split.Validation!.Test));
    }

    [Fact]
    public void UsersWithFewerThanThreeInteractionsStayInTraining()
    {
        var table = new InteractionTable();
        table.Add("short", "a", "view", 1, 1);
        table.Add("short", "b", "view", 1, 2);
        table.Add("long", "a", "view", 1, 1);
        table.Add("long", "b", "view", 1, 2);
        table.Add("long", "c", "view", 1, 3);
        var split = LeaveLastOutSplit.Split(table);
        Assert.Equal(["c"], Items(split.Test));
        Assert.Equal(["b"], Items(split.Validation!.Test));
        Assert.Equal(["a", "b", "a"], Items(split.Validation.Train));
    }

    [Fact]
    public void EveryEventOnTheLastItemIsTheTest()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "view", 1, 1);
        table.Add("u", "b", "view", 1, 2);
        table.Add("u", "c", "view", 1, 3);
        table.Add("u", "a", "buy", 1, 4);
        // Three rows but two distinct items: training only.
        table.Add("v", "a", "view", 1, 1);
        table.Add("v", "b", "view", 1, 2);
        table.Add("v", "a", "buy", 1, 3);
        var split = LeaveLastOutSplit.Split(table);
        Assert.Equal(["a", "a"], Items(split.Test));
        Assert.Equal(["view", "buy"], split.Test.Rows.ToArray().Select(r => table.EventTypes.GetId(r.EventType)));
        Assert.Equal(["c"], Items(split.Validation!.Test));
        Assert.Equal(["b", "a", "b", "a"], Items(split.Validation.Train));
    }

    [Fact]
    public void EveryEligibleUserHasOneTestAndOneValidationItem()
    {
        var table = SyntheticTables.Mixed();
        var split = LeaveLastOutSplit.Split(table);
        SplitAssert.Partitions(table, split.Train, split.Test);
        SplitAssert.Partitions(split.Train, split.Validation!.Train, split.Validation.Test);
        var testPairs = SplitAssert.Pairs(split.Test);
        Assert.Equal(table.Users.Count, testPairs.Count);
        Assert.Equal(table.Users.Count, SplitAssert.Pairs(split.Validation.Test).Count);
        Assert.Empty(SplitAssert.Pairs(split.Train).Intersect(testPairs));
        Assert.Empty(SplitAssert.Pairs(split.Validation.Train).Intersect(SplitAssert.Pairs(split.Validation.Test)));
        // Mixed ends every user with a "cart" event, at the latest time, on the item of the user's first view.
        Assert.Equal(2 * table.Users.Count, split.Test.Count);
        Assert.Equal(table.Users.Count, split.Test.Rows.ToArray().Count(r => table.EventTypes.GetId(r.EventType) == "cart"));
    }

    private static string[] Items(InteractionTable table) =>
        [.. table.Rows.ToArray().Select(r => table.Items.GetId(r.ItemIndex))];
}
