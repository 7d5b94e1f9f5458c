using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Tests.Engine;
using Xunit;

namespace Fresco.Engine.Tests.Serving;

public sealed class ResultCacheTests
{
    private static readonly RecommendQuery s_query = new(5);

    [Fact]
    public void BeyondCapacityTheLeastRecentlyUsedTenthIsDropped()
    {
        var cache = new ResultCache(20, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch));
        var snapshots = Enumerable.Range(0, 21).Select(u => new UserSnapshot(u, [], [], [])).ToArray();
        for (var u = 0; u < 20; u++)
        {
            cache.Add("u" + u, snapshots[u], null, 0, s_query, []);
        }
        // Touch u0..u4 so that u5, u6 are now the least recently used.
        for (var u = 0; u < 5; u++)
        {
            Assert.NotNull(cache.TryGet("u" + u, snapshots[u], null, 0, s_query));
        }
        cache.Add("u20", snapshots[20], null, 0, s_query, []);

        Assert.Equal(18, cache.Count);
        Assert.Null(cache.TryGet("u5", snapshots[5], null, 0, s_query));
        Assert.Null(cache.TryGet("u7", snapshots[7], null, 0, s_query));
        Assert.NotNull(cache.TryGet("u8", snapshots[8], null, 0, s_query));
        Assert.NotNull(cache.TryGet("u0", snapshots[0], null, 0, s_query));
        Assert.NotNull(cache.TryGet("u20", snapshots[20], null, 0, s_query));
    }

    [Fact]
    public void AnEntryIsValidOnlyForTheSameSnapshotGenerationAndQuery()
    {
        var cache = new ResultCache(10, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch));
        var snapshot = new UserSnapshot(0, [], [], []);
        ScoredId[] result = [new("i1", 1f, "als")];
        cache.Add("u", snapshot, null, 3, s_query, result);

        Assert.Same(result, cache.TryGet("u", snapshot, null, 3, new RecommendQuery(5)));
        Assert.Null(cache.TryGet("u", new UserSnapshot(0, [], [], []), null, 3, s_query));
        Assert.Null(cache.TryGet("u", snapshot, null, 4, s_query));
        Assert.Null(cache.TryGet("u", snapshot, null, 3, new RecommendQuery(5, 1)));
        Assert.Null(cache.TryGet("u", snapshot, null, 3, new RecommendQuery(5, 0, "c")));
        Assert.Equal((1L, 4L), (cache.Hits, cache.Misses));
    }
}
