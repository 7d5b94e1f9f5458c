using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Evaluation.Splits;
using Xunit;

namespace Fresco.Evaluation.Tests.Splits;

public sealed class GivenSplitTests
{
    [Fact]
    public void UsesTheDataSetsOwnParts()
    {
        var train = new InteractionTable();
        train.Add("u", "a", "view");
        var test = new InteractionTable(train.Users, train.Items, train.EventTypes);
        test.Add("u", "b", "view");
        var split = GivenSplit.Split(new DataSet("d", train, test, null, new ReadReport("test", 2, 0, [])));
        Assert.Same(train, split.Train);
        Assert.Same(test, split.Test);
    }

    [Fact]
    public void DataWithoutATestPartIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            GivenSplit.Split(new DataSet("plain", new InteractionTable(), null, null, new ReadReport("test", 0, 0, []))));
        Assert.Contains("given-split", e.Message);
    }
}
