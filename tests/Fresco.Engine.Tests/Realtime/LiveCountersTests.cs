using Fresco.Core.Ranking;
using Fresco.Engine.Realtime;
using Xunit;

namespace Fresco.Engine.Tests.Realtime;

public sealed class LiveCountersTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Popular_CountsUsersWithPositiveWeight()
    {
        var live = new LiveInteractions();
        live.Apply("u1", "a", "view", 1, s_t0);
        live.Apply("u1", "a", "view", 1, s_t0); // same user twice: still one
        live.Apply("u1", "b", "view", 1, s_t0);
        live.Apply("u2", "b", "view", 1, s_t0);
        live.Apply("u3", "b", "view", 1, s_t0);
        live.Apply("u3", "b", "dislike", 1, s_t0); // u3 leaves b
        live.Apply("u2", "c", "view", 1, s_t0);
        live.Apply("u3", "c", "view", 1, s_t0);
        live.Apply("u4", "c", "view", 1, s_t0);
        live.Apply("u4", "d", "dislike", 1, s_t0); // never positive

        var top = new ScoredItem[5];
        Assert.Equal(3, live.Popular(top));
        Assert.Equal([new ScoredItem(2, 3), new ScoredItem(1, 2), new ScoredItem(0, 1)], top[..3]);
    }

    [Fact]
    public void Trending_DecaysByHalfLife()
    {
        var live = new LiveInteractions(new LiveOptions { TrendingHalfLifeHours = 10 });
        // a: 5 (purchase) at t0. b: 1 (view) at t0+10h and 1 at t0+20h. c: 3 (cart) at t0+20h, then a late view at t0+10h.
        live.Apply("u1", "a", "purchase", 1, s_t0);
        live.Apply("u1", "b", "view", 1, s_t0.AddHours(10));
        live.Apply("u2", "b", "view", 1, s_t0.AddHours(20));
        live.Apply("u2", "c", "cart", 1, s_t0.AddHours(20));
        live.Apply("u3", "c", "view", 1, s_t0.AddHours(10));

        // At t0+20h: a = 5/4 = 1.25; b = 1/2 + 1 = 1.5; c = 3 + 1/2 = 3.5.
        var top = new ScoredItem[3];
        Assert.Equal(3, live.Trending(s_t0.AddHours(20), top));
        Assert.Equal([2, 1, 0], top.Select(s => s.ItemIndex));
        Assert.Equal(3.5f, top[0].Score, 1e-5f);
        Assert.Equal(1.5f, top[1].Score, 1e-5f);
        Assert.Equal(1.25f, top[2].Score, 1e-5f);

        // At t0+40h every score is a quarter of that.
        Assert.Equal(3, live.Trending(s_t0.AddHours(40), top));
        Assert.Equal(3.5f / 4, top[0].Score, 1e-5f);
        Assert.Equal(1.25f / 4, top[2].Score, 1e-5f);
    }

    [Fact]
    public void Trending_IgnoresNegativeEvents()
    {
        var live = new LiveInteractions();
        live.Apply("u1", "a", "dislike", 1, s_t0);
        var top = new ScoredItem[2];
        Assert.Equal(0, live.Trending(s_t0, top));
    }
}
