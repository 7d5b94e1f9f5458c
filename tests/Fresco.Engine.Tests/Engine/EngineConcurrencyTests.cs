using System.Diagnostics.Metrics;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Realtime;
using Fresco.Storage.Sqlite;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>Concurrent writers and readers, the allocation budget of a warmed call, and the metrics.</summary>
[Collection(nameof(LiveConcurrencyCollection))]
public sealed class EngineConcurrencyTests : EngineTestBase
{
    protected override int CacheUsers => 8;

    [Fact]
    public async Task ConcurrentWritersAndReadersNeitherThrowNorLoseEvents()
    {
        const int Writers = 4;
        const int PerWriter = 200;
        using var stop = new CancellationTokenSource();
        var reading = Enumerable.Range(0, 2).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var calls = 0;
            while (!stop.IsCancellationRequested)
            {
                var user = "w" + (calls % 20);
                var list = Engine.Recommend(user, new RecommendQuery(5));
                Assert.True(list is null || list.Select(s => s.Id).Distinct().Count() == list.Count);
                Engine.ItemNeighbors("i" + (calls % 10), new RecommendQuery(3));
                Engine.NonPersonalized("trending", new RecommendQuery(3));
                calls++;
                reading[r].TrySetResult();
            }
            return calls;
        })).ToArray();
        // On a loaded machine a reader may start late: the writers wait until both read, so they really overlap.
        await Task.WhenAll(reading.Select(t => t.Task)).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var user = "w" + ((w * 7 + i) % 20);
                await Add(View(user, "i" + (i % 10), w * PerWriter + i), View(user, "n" + (w * PerWriter + i), i));
                if (i % 50 == 0)
                {
                    await Engine.DeleteFeedbackAsync(user, "i" + (i % 10), "view", Ct);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(readers), calls => Assert.True(calls > 0));

        // Every live history equals the store's rows for that user.
        for (var u = 0; u < 20; u++)
        {
            var rows = await Store.GetUserFeedbackAsync("w" + u, null, Ct);
            var snapshot = Engine.Live.GetSnapshot("w" + u);
            Assert.Equal(rows.Select(r => r.ItemId).Distinct().Order(), snapshot.Items.ToArray().Select(Engine.Live.GetItemId).Order());
        }
    }

    [Fact]
    public async Task ConcurrentConflictingBatchesOverSqliteLeaveTheLiveStateAsTheStoreCommittedIt()
    {
        // Batches share group commits (pipelined writes); when two of them rate the same pair, the store keeps the
        // one it committed first, and the live state must keep that same value: it applies in commit order.
        var directory = Path.Combine(Path.GetTempPath(), "fresco-engine-" + Guid.NewGuid().ToString("N"));
        await Engine.DisposeAsync();
        await Store.DisposeAsync();
        Store = await SqliteStore.OpenAsync(directory, Ct);
        try
        {
            Engine = await StartAsync();
            const int Writers = 8, Batches = 30, Users = 10, Items = 6;
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var b = 0; b < Batches; b++)
                {
                    var batch = Enumerable.Range(0, 8).Select(k => Event("rating", "r" + ((w + b + k * 3) % Users),
                        "i" + ((w * 5 + b + k) % Items), b, value: 1 + w)).ToArray();
                    if (b % 10 == 9)
                    {
                        await Engine.DeleteFeedbackAsync(batch[0].UserId, batch[0].ItemId, "rating", Ct);
                    }
                    await Engine.InsertFeedbackAsync(batch, overwrite: false, Ct);
                }
            }, Ct)));

            var values = new HashSet<double>();
            for (var u = 0; u < Users; u++)
            {
                var rows = await Store.GetUserFeedbackAsync("r" + u, null, Ct);
                var snapshot = Engine.Live.GetSnapshot("r" + u);
                var live = new Dictionary<string, float>();
                for (var i = 0; i < snapshot.Count; i++)
                {
                    live[Engine.Live.GetItemId(snapshot.Items[i])] = snapshot.Weights[i];
                }
                Assert.Equal(rows.ToDictionary(r => r.ItemId, r => (float)r.Value).OrderBy(p => p.Key), live.OrderBy(p => p.Key));
                values.UnionWith(rows.Select(r => r.Value));
            }
            Assert.True(values.Count > 1, "more than one writer's value should have been kept");
        }
        finally
        {
            await Engine.DisposeAsync();
            await Store.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            Store = new Fresco.Engine.Storage.InMemory.InMemoryStore();
            Engine = await StartAsync();
        }
    }

    [Fact]
    public async Task AWarmedRecommendAllocatesLittleBeyondItsResult()
    {
        await Engine.DisposeAsync();
        Engine = await new FrescoEngineBuilder(Store, Options(cacheUsers: 0), Trainer) { Time = Time }.StartAsync(Ct);
        await Add(View("new", "i0", 1), View("new", "i4", 2));
        var query = new RecommendQuery(8);
        for (var i = 0; i < 5; i++)
        {
            Engine.Recommend("new", query);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var list = Engine.Recommend("new", query);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(8, list!.Count);
        Assert.True(allocated < 1024 + 8 * 32, $"{allocated} bytes allocated");
    }

    [Fact]
    public async Task MetricsCountEventsByTypeAndCacheOutcomes()
    {
        var events = new Dictionary<string, long>();
        long hits = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, Engine.Metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "events.ingested")
            {
                var type = (string)tags[0].Value!;
                events[type] = events.GetValueOrDefault(type) + value;
            }
            else if (instrument.Name == "cache.hits")
            {
                hits += value;
            }
        });
        listener.Start();

        await Add(View("m", "i0"), Event("cart", "m", "i1"), View("m", "i2"));
        Recommend("m");
        Recommend("m");

        Assert.Equal(2, events["view"]);
        Assert.Equal(1, events["cart"]);
        Assert.Equal(1, hits);
    }
}
