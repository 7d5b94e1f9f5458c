using Fresco.Core.Ranking;
using Fresco.Engine.Realtime;
using Xunit;

namespace Fresco.Engine.Tests.Realtime;

[Collection(nameof(LiveConcurrencyCollection))]
public sealed class LiveConcurrencyTests
{
    [Fact]
    public async Task ConcurrentWritersAndReaders_EndInTheSequentialState()
    {
        var events = LiveMatrixTests.RandomEvents(seed: 7, count: 12_000, users: 200, items: 150);
        // No user reaches the cap: trimming depends on arrival order, so only an untrimmed state is order-free.
        var options = new LiveOptions { MaxHistoryPerUser = 1000 };
        var sequential = new LiveInteractions(options);
        sequential.Apply(events);

        var live = new LiveInteractions(options);
        const int Writers = 4;
        var done = 0;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            // Writers interleave over the same users and items.
            for (var i = w; i < events.Length; i += Writers)
            {
                var e = events[i];
                live.Apply(e.UserId, e.ItemId, e.EventType, e.Value, e.Timestamp);
            }
            Interlocked.Increment(ref done);
        })).ToArray();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var top = new ScoredItem[10];
            var items = new int[64];
            var weights = new float[64];
            var reads = 0;
            while (Volatile.Read(ref done) < Writers || reads < 100)
            {
                var snapshot = live.GetSnapshot($"u{reads % 200}");
                Assert.Equal(snapshot.Items.Length, snapshot.Weights.Length);
                Assert.True(snapshot.Count <= 150);
                foreach (var w in snapshot.Weights)
                {
                    Assert.True(w > 0);
                }
                live.TryGetHistory($"u{(reads + 1) % 200}", items, weights, out _);
                live.RecentItems($"u{reads % 200}", items);
                live.Popular(top);
                live.Trending(DateTimeOffset.UtcNow, top);
                if (reads % 50 == 0)
                {
                    live.ToMatrix();
                }
                reads++;
            }
        })).ToArray();
        await Task.WhenAll([.. writers, .. readers]);

        Assert.Equal(sequential.UserCount, live.UserCount);
        Assert.Equal(sequential.ItemCount, live.ItemCount);
        for (var u = 0; u < sequential.UserCount; u++)
        {
            var id = sequential.GetUserId(u);
            var expected = sequential.GetSnapshot(id);
            var actual = live.GetSnapshot(id);
            Assert.Equal(ItemIds(sequential, expected.Items), ItemIds(live, actual.Items));
            Assert.Equal(expected.Weights.ToArray(), actual.Weights.ToArray());
            Assert.Equal(ItemIds(sequential, expected.Consumed).Order(), ItemIds(live, actual.Consumed).Order());
        }
        Assert.Equal(Scores(sequential, s => s.Popular), Scores(live, s => s.Popular));
        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var expectedTrending = Scores(sequential, s => d => s.Trending(now, d));
        var actualTrending = Scores(live, s => d => s.Trending(now, d));
        Assert.Equal(expectedTrending.Keys.Order(), actualTrending.Keys.Order());
        foreach (var (id, score) in expectedTrending)
        {
            Assert.Equal(score, actualTrending[id], score * 1e-4f);
        }
    }

    private static string[] ItemIds(LiveInteractions live, ReadOnlySpan<int> items)
    {
        var ids = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            ids[i] = live.GetItemId(items[i]);
        }
        return ids;
    }

    private delegate int Selector(Span<ScoredItem> destination);

    private static Dictionary<string, float> Scores(LiveInteractions live, Func<LiveInteractions, Selector> select)
    {
        var top = new ScoredItem[live.ItemCount];
        var n = select(live)(top);
        return top[..n].ToDictionary(s => live.GetItemId(s.ItemIndex), s => s.Score);
    }
}
