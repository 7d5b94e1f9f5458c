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
    public void EveryEligibleUserHasOneTestAndOneValidationRow()
    {
        var table = SyntheticTables.Mixed();
        var split = LeaveLastOutSplit.Split(table);
        SplitAssert.Partitions(table, split.Train, split.Test);
        SplitAssert.Partitions(split.Train, split.Validation!.Train, split.Validation.Test);
        Assert.Equal(table.Users.Count, split.Test.Count);
        Assert.Equal(table.Users.Count, split.Validation.Test.Count);
        foreach (var row in split.Test.Rows)
        {
            // Mixed ends every user with a "cart" event at the latest time.
            Assert.Equal("cart", table.EventTypes.GetId(row.EventType));
        }
    }

    private static string[] Items(InteractionTable table) =>
        [.. table.Rows.ToArray().Select(r => table.Items.GetId(r.ItemIndex))];
}
