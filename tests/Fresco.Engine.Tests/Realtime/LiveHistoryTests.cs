using Fresco.Engine.Realtime;
using Xunit;

namespace Fresco.Engine.Tests.Realtime;

public sealed class LiveHistoryTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int minutes) => s_t0.AddMinutes(minutes);

    [Fact]
    public void History_HasSummedWeightsOrderedByLastInteraction()
    {
        var live = new LiveInteractions();
        live.Apply("u", "a", "view", 1, At(0));
        live.Apply("u", "b", "cart", 1, At(1));
        live.Apply("u", "c", "rating", 4, At(2));
        live.Apply("u", "a", "like", 1, At(3));

        var items = new int[8];
        var weights = new float[8];
        Assert.True(live.TryGetHistory("u", items, weights, out var count));
        Assert.Equal(3, count);
        string[] ids = [live.GetItemId(items[0]), live.GetItemId(items[1]), live.GetItemId(items[2])];
        Assert.Equal(["b", "c", "a"], ids);
        Assert.Equal([3f, 4f, 3f], weights[..3]);

        var recent = new int[2];
        Assert.Equal(2, live.RecentItems("u", recent));
        Assert.Equal([items[2], items[1]], recent);
    }

    [Fact]
    public void Dislike_RemovesPair_AndLaterEventsSumWithIt()
    {
        var live = new LiveInteractions();
        live.Apply("u", "a", "view", 1, At(0));
        live.Apply("u", "b", "view", 1, At(1));
        live.Apply("u", "a", "dislike", 1, At(2));
        var snapshot = live.GetSnapshot("u");
        Assert.Equal(1, snapshot.Count);
        Assert.Equal("b", live.GetItemId(snapshot.Items[0]));

        // -4 + 3 (cart) = -1: still out; + 5 (purchase) = 4: back in, as the newest.
        live.Apply("u", "a", "cart", 1, At(3));
        Assert.Equal(1, live.GetSnapshot("u").Count);
        live.Apply("u", "a", "purchase", 1, At(4));
        snapshot = live.GetSnapshot("u");
        Assert.Equal(2, snapshot.Count);
        Assert.Equal("a", live.GetItemId(snapshot.Items[1]));
        Assert.Equal(4f, snapshot.Weights[1]);
    }

    [Fact]
    public void Consumed_TracksConfiguredTypesOnly()
    {
        var live = new LiveInteractions(new LiveOptions { ConsumedEventTypes = ["purchase", "cart"] });
        live.Apply("u", "a", "view", 1, At(0));
        live.Apply("u", "b", "cart", 1, At(1));
        live.Apply("u", "c", "PURCHASE", 1, At(2));
        live.Apply("v", "a", "purchase", 1, At(3));
        Assert.True(live.TryGetUserIndex("u", out var u));
        Assert.True(live.TryGetUserIndex("v", out var v));
        Assert.False(live.IsConsumed(u, 0));
        Assert.True(live.IsConsumed(u, 1));
        Assert.True(live.IsConsumed(u, 2));
        Assert.True(live.IsConsumed(v, 0));
        Assert.False(live.IsConsumed(v, 1));
        Assert.Equal([1, 2], live.GetSnapshot("u").Consumed);
        Assert.False(live.IsConsumed(99, 0));
    }

    [Fact]
    public void MaxHistory_ForgetsLeastRecentlyTouched()
    {
        var live = new LiveInteractions(new LiveOptions { MaxHistoryPerUser = 3 });
        live.Apply("u", "a", "view", 1, At(0));
        live.Apply("u", "b", "view", 1, At(1));
        live.Apply("u", "c", "view", 1, At(2));
        live.Apply("u", "a", "view", 1, At(3)); // a is now the newest
        live.Apply("u", "d", "view", 1, At(4)); // b, the oldest, goes
        var snapshot = live.GetSnapshot("u");
        string[] ids = [.. snapshot.Items.ToArray().Select(live.GetItemId)];
        Assert.Equal(["c", "a", "d"], ids);
        Assert.Equal([1f, 2f, 1f], snapshot.Weights.ToArray());
        // b lost its only user, so it is no longer popular.
        var top = new Core.Ranking.ScoredItem[4];
        Assert.Equal(3, live.Popular(top));
        Assert.DoesNotContain(top[..3], s => live.GetItemId(s.ItemIndex) == "b");
    }

    [Fact]
    public void MaxHistory_ForgetsTheConsumedMarkWithThePair()
    {
        var live = new LiveInteractions(new LiveOptions { MaxHistoryPerUser = 2 });
        live.Apply("u", "a", "purchase", 1, At(0));
        live.Apply("u", "b", "purchase", 1, At(1));
        live.Apply("u", "c", "view", 1, At(2)); // a, the oldest, goes
        live.Apply("u", "d", "purchase", 1, At(3)); // then b
        for (var i = 0; i < 100; i++)
        {
            live.Apply("u", "p" + i, "purchase", 1, At(4 + i));
        }

        var snapshot = live.GetSnapshot("u");
        Assert.Equal(["p98", "p99"], snapshot.Consumed.ToArray().Select(live.GetItemId).Order(StringComparer.Ordinal));
        Assert.False(live.IsConsumed(snapshot.UserIndex, live.TryGetItemIndex("a", out var a) ? a : -1));
        Assert.True(live.IsConsumed(snapshot.UserIndex, live.TryGetItemIndex("p99", out var p99) ? p99 : -1));
    }

    [Fact]
    public void UnknownUser_IsEmpty()
    {
        var live = new LiveInteractions();
        live.Apply("u", "a", "view", 1, At(0));
        Assert.Same(UserSnapshot.Empty, live.GetSnapshot("nobody"));
        Assert.False(live.TryGetHistory("nobody", new int[4], new float[4], out var count));
        Assert.Equal(0, count);
        Assert.Equal(0, live.RecentItems("nobody", new int[4]));
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiveInteractions(new LiveOptions { MaxHistoryPerUser = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiveInteractions(new LiveOptions { TrendingHalfLifeHours = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiveInteractions(new LiveOptions { TrendingHalfLifeHours = double.NaN }));
        Assert.Throws<ArgumentException>(() => new LiveInteractions(new LiveOptions { ConsumedEventTypes = [""] }));
    }
}
