using Fresco.Engine.Serving;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>The per-user result cache: hits while nothing changed, misses after the user's events, catalog changes and model swaps.</summary>
public sealed class EngineCacheTests : EngineTestBase
{
    protected override int CacheUsers => 100;

    [Fact]
    public async Task TheCacheIsInvalidatedByEventsCatalogChangesAndModelSwaps()
    {
        await Add(View("new", "i0", 1));
        var first = Recommend("new");
        Assert.Same(first, Recommend("new"));
        Assert.Equal((1L, 1L), (Engine.GetStatus().CacheHits, Engine.GetStatus().CacheMisses));

        Assert.NotSame(first, Recommend("new", n: 3));
        Assert.Equal(2, Engine.GetStatus().CacheMisses);

        await Add(View("new", "i4", 2));
        var afterEvent = Recommend("new");
        Assert.Equal(3, Engine.GetStatus().CacheMisses);
        Assert.Equal(["i1", "i5", "i2", "i6"], Ids(afterEvent));

        Assert.True(await Engine.PatchItemAsync("i5", new Fresco.Engine.Storage.ItemPatch(IsHidden: true), Ct));
        Assert.Equal(["i1", "i2", "i6", "i3"], Ids(Recommend("new")));
        Assert.Equal(4, Engine.GetStatus().CacheMisses);

        Recommend("new");
        Assert.Equal(2, Engine.GetStatus().CacheHits);
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Recommend("new");
        Assert.Equal(5, Engine.GetStatus().CacheMisses);
    }

    [Fact]
    public async Task CachedAnswersExpireAfterTheTimeToLive()
    {
        await Add(View("new", "i0", 1));
        var first = Recommend("new");
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(first, Recommend("new"));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotSame(first, Recommend("new"));
        Assert.Equal((1L, 2L), (Engine.GetStatus().CacheHits, Engine.GetStatus().CacheMisses));
    }

    [Fact]
    public async Task ExcludeListsBypassTheCache()
    {
        await Add(View("new", "i0", 1));
        Assert.Equal(["i2", "i4"], Ids(Engine.Recommend("new", new RecommendQuery(2, 0, null, ["i1"]))));
        Assert.Equal(["i2", "i4"], Ids(Engine.Recommend("new", new RecommendQuery(2, 0, null, ["i1"]))));
        Assert.Equal((0L, 0L), (Engine.GetStatus().CacheHits, Engine.GetStatus().CacheMisses));
    }
}
