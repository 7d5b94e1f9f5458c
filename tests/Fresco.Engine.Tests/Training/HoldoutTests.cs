using Fresco.Core.Data;
using Fresco.Engine.Training;
using Xunit;

namespace Fresco.Engine.Tests.Training;

public sealed class HoldoutTests
{
    [Fact]
    public void EachHeldOutUserLosesExactlyOneOfTheirItems()
    {
        var data = ClusteredData.Create(users: 1000);
        var holdout = Holdout.Create(data.Matrix, data.UserIds, data.ItemIds, 0.2, seed: 3);

        Assert.InRange(holdout.Users.Length, 150, 250); // 1000 x 0.2, binomial sd ~ 13
        Assert.Equal(data.Matrix.NonZeros - holdout.Users.Length, holdout.Train.NonZeros);
        Assert.Equal(holdout.Users.Order(), holdout.Users);
        Assert.Equal(holdout.Users.Length, holdout.Users.Distinct().Count());
        for (var i = 0; i < holdout.Users.Length; i++)
        {
            var user = holdout.Users[i];
            Assert.Contains(holdout.Items[i], data.Matrix.RowIndices(user).ToArray());
            Assert.DoesNotContain(holdout.Items[i], holdout.Train.RowIndices(user).ToArray());
            Assert.Equal(data.Matrix.RowLength(user) - 1, holdout.Train.RowLength(user));
        }
    }

    [Fact]
    public void UsersWithASingleItemAreNeverHeldOut()
    {
        var builder = new CsrBuilder(3, 4);
        builder.Add(0, 1, 1f);
        builder.Add(1, 0, 1f);
        builder.Add(1, 2, 1f);
        builder.Add(2, 3, 1f);
        var holdout = Holdout.Create(builder.Build(), ["a", "b", "c"], ["w", "x", "y", "z"], 0.999999, seed: 1);

        Assert.Equal([1], holdout.Users);
        Assert.Contains(holdout.Items[0], new[] { 0, 2 });
        Assert.Equal(1, holdout.Train.RowLength(1));
    }

    [Fact]
    public void TheSameIdsAreHeldOutEveryRunAndWhenTheDataGrows()
    {
        var data = ClusteredData.Create(users: 600, items: 240);
        var older = data.Prefix(500, 240);
        var first = Holdout.Create(older.Matrix, older.UserIds, older.ItemIds, 0.3, seed: 11);
        var again = Holdout.Create(older.Matrix, older.UserIds, older.ItemIds, 0.3, seed: 11);
        var grown = Holdout.Create(data.Matrix, data.UserIds, data.ItemIds, 0.3, seed: 11);
        var otherSeed = Holdout.Create(older.Matrix, older.UserIds, older.ItemIds, 0.3, seed: 12);

        Assert.Equal(first.Users, again.Users);
        Assert.Equal(first.Items, again.Items);
        Assert.Equal(first.Users, grown.Users.Where(u => u < 500));
        Assert.Equal(first.Items, grown.Items.Take(first.Items.Length));
        Assert.NotEqual(first.Users, otherSeed.Users);
    }

    [Fact]
    public void TheServingItemMapFollowsIdsWhenTheOrderDiffers()
    {
        Assert.Equal([0, 1, -1], HoldoutEvaluator.ItemMap(["a", "b", "c"], ["a", "b"]));
        Assert.Equal([1, -1, 0], HoldoutEvaluator.ItemMap(["a", "b", "c"], ["c", "a"]));
    }
}
