using Fresco.Core.Data;
using Fresco.Core.Data.Preprocessing;
using Fresco.Core.Data.Readers;
using Xunit;

namespace Fresco.Core.Tests.Data.Preprocessing;

public sealed class PreprocessOptionsTests
{
    [Fact]
    public void StepsRunInOrderThresholdThenDedupeThenCore()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "rating", 5f);
        table.Add("u", "a", "rating", 2f);
        table.Add("u", "b", "rating", 4f);
        table.Add("v", "a", "rating", 4f);
        table.Add("v", "b", "rating", 1f);
        table.Add("w", "b", "rating", 5f);
        var options = new PreprocessOptions { RatingThreshold = 4f, Dedupe = DuplicateKeep.First, MinUserInteractions = 2 };
        var result = options.Apply(table);
        // Threshold leaves u-a(5), u-b, v-a, w-b; only u has 2 interactions.
        Assert.Equal(2, result.Count);
        Assert.All(result.Rows.ToArray(), r => Assert.Equal("u", table.Users.GetId(r.UserIndex)));
        Assert.Equal(new Dictionary<string, string> { ["rating_threshold"] = "4", ["dedupe"] = "first", ["min_user_interactions"] = "2" }, options.Describe());
        Assert.True(new PreprocessOptions().IsEmpty);
    }

    [Fact]
    public void TestPartGetsEveryStepButTheCore()
    {
        var train = new InteractionTable();
        train.Add("u", "a", "interaction");
        train.Add("u", "a", "interaction");
        train.Add("v", "b", "interaction");
        var test = new InteractionTable(train.Users, train.Items, train.EventTypes);
        test.Add("v", "c", "interaction");
        test.Add("v", "c", "interaction");
        var data = new DataSet("d", train, test, null, new ReadReport("split", 5, 0, []));
        var result = new PreprocessOptions { Dedupe = DuplicateKeep.First, MinUserInteractions = 2 }.Apply(data);
        Assert.Equal(0, result.Interactions.Count); // after dedupe u and v have one item each
        Assert.Equal(1, result.Test!.Count);
        Assert.Same(data.Interactions.Items, result.Test.Items);
    }
}
