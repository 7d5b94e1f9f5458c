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
        var cache = new ResultCache(20, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch), schedule: trim => trim());
        var snapshots = Enumerable.Range(0, 21).Select(u => new UserSnapshot(u, [], [], [])).ToArray();
        for (var u = 0; u < 20; u++)
        {
            cache.Add("u" + u, snapshots[u], null, 0, s_query, default, []);
        }
        // Touch u0..u4 so that u5, u6 are now the least recently used.
        for (var u = 0; u < 5; u++)
        {
            Assert.NotNull(cache.TryGet("u" + u, snapshots[u], null, 0, s_query));
        }
        cache.Add("u20", snapshots[20], null, 0, s_query, default, []);

        Assert.Equal(18, cache.Count);
        Assert.Null(cache.TryGet("u5", snapshots[5], null, 0, s_query));
        Assert.Null(cache.TryGet("u7", snapshots[7], null, 0, s_query));
        Assert.NotNull(cache.TryGet("u8", snapshots[8], null, 0, s_query));
        Assert.NotNull(cache.TryGet("u0", snapshots[0], null, 0, s_query));
        Assert.NotNull(cache.TryGet("u20", snapshots[20], null, 0, s_query));
    }

    [Fact]
    public void AnAddBeyondCapacitySchedulesOneTrimAndNeverTrimsOnTheCallersThread()
    {
        var scheduled = new Queue<Action>();
        var cache = new ResultCache(10, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch), scheduled.Enqueue);
        for (var u = 0; u < 16; u++)
        {
            cache.Add("u" + u, new UserSnapshot(u, [], [], []), null, 0, s_query, default, []);
        }

        Assert.Equal(16, cache.Count); // nothing dropped by the adds themselves
        var trim = Assert.Single(scheduled); // one trim for the six adds past the capacity
        scheduled.Clear();
        trim();
        Assert.Equal(9, cache.Count); // the least recently used down to 90% of the capacity
        Assert.Empty(scheduled);
    }

    [Fact]
    public void WhileATrimIsPendingTheCountStopsAtTwiceTheCapacity()
    {
        var scheduled = new Queue<Action>();
        var cache = new ResultCache(10, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch), scheduled.Enqueue);
        for (var u = 0; u < 1000; u++)
        {
            cache.Add("u" + u, new UserSnapshot(u, [], [], []), null, 0, s_query, default, []);
        }

        Assert.Equal(20, cache.Count);
        Assert.Single(scheduled);
    }

    [Fact]
    public async Task OnTheThreadPoolConcurrentAddsStayBoundedAndSettleWithinCapacity()
    {
        const int Capacity = 1000;
        var cache = new ResultCache(Capacity, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch));
        var peak = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var u = 0; u < 50_000; u++)
            {
                cache.Add($"t{t}-u{u}", new UserSnapshot(u, [], [], []), null, 0, s_query, default, []);
                InterlockedMax(ref peak, cache.Count);
            }
        }, TestContext.Current.CancellationToken)));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cache.Count > Capacity && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.InRange(cache.Count, 1, Capacity);
        Assert.InRange(peak, Capacity, 2 * Capacity + 4); // at most one add per thread past the hard bound
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var found && found != seen)
        {
            seen = found;
        }
    }

    [Fact]
    public void AnEntryIsValidOnlyForTheSameSnapshotGenerationAndQuery()
    {
        var cache = new ResultCache(10, TimeSpan.FromMinutes(1), new ManualTime(DateTimeOffset.UnixEpoch));
        var snapshot = new UserSnapshot(0, [], [], []);
        ScoredId[] result = [new("i1", 1f, "als")];
        cache.Add("u", snapshot, null, 3, s_query, default, result);

        Assert.Same(result, cache.TryGet("u", snapshot, null, 3, new RecommendQuery(5)));
        Assert.Null(cache.TryGet("u", new UserSnapshot(0, [], [], []), null, 3, s_query));
        Assert.Null(cache.TryGet("u", snapshot, null, 4, s_query));
        Assert.Null(cache.TryGet("u", snapshot, null, 3, new RecommendQuery(5, 1)));
        Assert.Null(cache.TryGet("u", snapshot, null, 3, new RecommendQuery(5, 0, "c")));
        Assert.Equal((1L, 4L), (cache.Hits, cache.Misses));
    }
}
