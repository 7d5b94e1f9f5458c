using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>The real-time contract: once a write returns, the next recommendation reflects it.</summary>
public sealed class EngineRecommendTests : EngineTestBase
{
    [Fact]
    public async Task ABrandNewUserIsPersonalisedFromTheFirstEvent()
    {
        Assert.Null(Recommend("new"));
        Assert.Equal(["i0", "i1", "i2", "i4"], Ids(Engine.NonPersonalized("trending", new RecommendQuery(4))));

        await Add(View("new", "i0", 1));

        var list = Recommend("new");
        Assert.Equal(["i1", "i2", "i4", "i5"], Ids(list));
        Assert.Equal(["itemknn", "itemknn", "trending", "trending"], Sources(list));
        Assert.Equal(1f, list![0].Score, 4);
        Assert.Equal(0.5f, list[1].Score, 4);
    }

    [Fact]
    public async Task AFarFutureEventIsStoredAsOfNowAndDoesNotDominateTrending()
    {
        await Add(new Feedback("view", "g", "i9", 1, T0.AddYears(10)), View("g", "i8", 4)); // 4 min ahead: within tolerance

        var stored = (await Store.GetUserFeedbackAsync("g", null, Ct)).ToDictionary(f => f.ItemId, f => f.Timestamp);
        Assert.Equal(T0, stored["i9"]);
        Assert.Equal(T0.AddMinutes(4), stored["i8"]);

        Time.Advance(TimeSpan.FromDays(2)); // two half-lives: the seeded pairs' 2 views weigh 0.5, i9's one view 0.25
        Assert.Equal(["i0", "i1", "i2", "i4", "i5"], Ids(Engine.NonPersonalized("trending", new RecommendQuery(5))));
    }

    [Fact]
    public async Task TheFallbackChainFillsNWhileTheCatalogHasEligibleItems()
    {
        await Add(View("new", "i0", 1));

        var list = Recommend("new", n: 20);
        Assert.Equal(["i1", "i2", "i4", "i5", "i6", "i3", "i7", "i9", "i8"], Ids(list));
        Assert.Equal(["itemknn", "itemknn", "trending", "trending", "trending", "trending", "trending", "latest", "catalog"], Sources(list));
        Assert.Equal(["i4", "i5", "i6"], Ids(Recommend("new", n: 3, offset: 2)));
        Assert.Empty(Ids(Recommend("new", n: 5, offset: 10)));
    }

    [Fact]
    public async Task APurchasedItemDisappears()
    {
        await Add(View("new", "i0", 1));
        Assert.Equal("i1", Recommend("new")![0].Id);

        await Add(Event("purchase", "new", "i1", 2));

        Assert.DoesNotContain("i1", Ids(Recommend("new", n: 20)));
        // The purchase changed the history: the neighbours of i1 (i0 is seen) are now i2 first.
        Assert.Equal("i2", Recommend("new")![0].Id);
    }

    [Fact]
    public async Task ADislikedItemIsNeverRecommended()
    {
        await Add(View("new", "i0", 1), Event("dislike", "new", "i1", 2));
        Assert.Equal(["i0"], Engine.Live.GetSnapshot("new").Items.ToArray().Select(Engine.Live.GetItemId));
        Assert.DoesNotContain("i1", Ids(Recommend("new", n: 20)));
        Assert.Equal(8, Recommend("new", n: 20)!.Count);
    }

    [Fact]
    public async Task HiddenItemsNeverAppear()
    {
        await Add(View("new", "i0", 1));
        Assert.True(await Engine.PatchItemAsync("i1", new ItemPatch(IsHidden: true), Ct));

        Assert.DoesNotContain("i1", Ids(Recommend("new", n: 20)));
        Assert.DoesNotContain("i1", Ids(Engine.NonPersonalized("popular", new RecommendQuery(20))));
        Assert.DoesNotContain("i1", Ids(Engine.ItemNeighbors("i0", new RecommendQuery(20))));
        Assert.DoesNotContain("i1", Ids(Engine.RecommendSession([View("s", "i0")], new RecommendQuery(20))));

        Assert.True(await Engine.PatchItemAsync("i1", new ItemPatch(IsHidden: false), Ct));
        Assert.Equal("i1", Recommend("new")![0].Id);
    }

    [Fact]
    public async Task CategoryAndExcludeFilterEveryStage()
    {
        await Add(View("new", "i0", 1));

        Assert.Equal(["i1", "i5", "i3", "i7"], Ids(Recommend("new", category: "odd")));
        Assert.Equal(["i2", "i4", "i5", "i6"], Ids(Recommend("new", exclude: ["i1", "unknown"])));
        Assert.Empty(Ids(Recommend("new", category: "no-such-category")));

        Assert.True(await Engine.AddItemCategoryAsync("i2", "odd", Ct));
        Assert.Equal(["i1", "i2", "i5", "i3"], Ids(Recommend("new", category: "odd")));
    }

    [Fact]
    public async Task ItemsAddedAfterTrainingAreRecommendedThroughTrending()
    {
        await Add(View("x", "new-item", 1), View("y", "new-item", 1), View("z", "new-item", 1));
        await Add(View("new", "i0", 2));

        var list = Recommend("new");
        Assert.Equal(["i1", "i2", "new-item", "i4"], Ids(list));
        Assert.Equal("trending", list![2].Source);
    }

    [Fact]
    public async Task DeletedFeedbackItemsAndUsersAreReflected()
    {
        await Add(View("new", "i0", 1));
        Assert.Equal(1, await Engine.DeleteFeedbackAsync("new", "i0", "view", Ct));
        Assert.Equal(0, Engine.Live.GetSnapshot("new").Count);
        Assert.Equal(["i0", "i1", "i2", "i4"], Ids(Recommend("new")));
        Assert.Equal(["trending", "trending", "trending", "trending"], Sources(Recommend("new")));

        Assert.True(await Engine.DeleteItemAsync("i1", Ct));
        Assert.Equal(["i0"], Engine.Live.GetSnapshot("a").Items.ToArray().Select(Engine.Live.GetItemId));
        Assert.DoesNotContain("i1", Ids(Recommend("new", n: 20)));
        Assert.Null(Engine.ItemNeighbors("i1", new RecommendQuery()));

        Assert.True(await Engine.DeleteUserAsync("a", Ct));
        Assert.Null(Recommend("a"));
        Assert.Null(Engine.UserNeighbors("a", new RecommendQuery()));
        Assert.False(await Engine.DeleteUserAsync("a", Ct));
    }

    [Fact]
    public async Task InsertKeepsAndOverwriteReplacesWithoutDoubleCounting()
    {
        await Add(Event("rating", "r", "i3", 1, value: 4));
        await Add(Event("rating", "r", "i3", 2, value: 1));
        Assert.Equal([4f], Engine.Live.GetSnapshot("r").Weights.ToArray());

        await Engine.InsertFeedbackAsync([Event("rating", "r", "i3", 3, value: 2)], overwrite: true, Ct);
        Assert.Equal([2f], Engine.Live.GetSnapshot("r").Weights.ToArray());

        await Engine.InsertFeedbackAsync([Event("view", "r", "i3", 4), Event("rating", "r", "i3", 5, value: 3)], overwrite: true, Ct);
        Assert.Equal([4f], Engine.Live.GetSnapshot("r").Weights.ToArray());
        Assert.Equal(2, (await Store.GetUserFeedbackAsync("r", null, Ct)).Count);
    }

    [Fact]
    public async Task SessionRecommendationsFollowThePostedFeedback()
    {
        var list = Engine.RecommendSession([View("s", "i4"), View("s", "unknown-item")], new RecommendQuery(3));
        Assert.Equal(["i5", "i6", "i0"], Ids(list));
        Assert.Equal(["itemknn", "itemknn", "trending"], Sources(list));
    }

    [Fact]
    public async Task NeighboursComeFromTheModelOrTheLiveHistories()
    {
        var items = Engine.ItemNeighbors("i0", new RecommendQuery(5));
        Assert.Equal(["i1", "i2"], Ids(items));
        Assert.Equal(Ids(items), Ids(Engine.ItemToItem("similar", "i0", new RecommendQuery(5))));

        var users = Engine.UserNeighbors("a", new RecommendQuery(5));
        Assert.Equal(["b"], Ids(users));
        Assert.Equal(2 / MathF.Sqrt(6), users![0].Score, 4);

        await Add(Event("purchase", "p1", "i0"), Event("purchase", "p1", "i3"), Event("purchase", "p2", "i0"),
            Event("purchase", "p2", "i3"), Event("cart", "p3", "i0"), Event("cart", "p3", "i5"), View("p4", "i0"), View("p4", "i7"));
        var bought = Engine.ItemToItem("bought-together", "i0", new RecommendQuery(5));
        Assert.Equal(["i3", "i5"], Ids(bought));
        Assert.Equal([2f, 1f], bought!.Select(s => s.Score));

        Assert.Null(Engine.ItemToItem("nope", "i0", new RecommendQuery()));
        Assert.Null(Engine.ItemToItem("similar", "missing", new RecommendQuery()));
        Assert.Null(Engine.NonPersonalized("nope", new RecommendQuery()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine.Recommend("a", new RecommendQuery(40, 20)));
    }

    [Fact]
    public void NonPersonalisedListsRankByTheirSignal()
    {
        Assert.Equal(["i9", "i7", "i6"], Ids(Engine.NonPersonalized("latest", new RecommendQuery(3))));
        Assert.Equal(["i0", "i1", "i2", "i4", "i5", "i6", "i3", "i7"], Ids(Engine.NonPersonalized("popular", new RecommendQuery(20))));
        Assert.Equal(["i4", "i6"], Ids(Engine.NonPersonalized("popular", new RecommendQuery(2, 2, "even"))));
    }
}
