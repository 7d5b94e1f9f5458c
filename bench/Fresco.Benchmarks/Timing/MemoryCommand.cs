using System.Diagnostics;
using System.Globalization;
using Fresco.Engine;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;
using Fresco.Storage.Sqlite;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// The engine's memory for one shape of shop: <c>memory --users U --items I --events E [--model als] [--user-ttl S]</c>. Writes E
/// random view events (users uniform, items with power-law popularity, seeded) through the engine into a SQLite
/// store, restarts the engine over it (the state a server has after a restart) and reports the managed heap after a
/// full collection, then trains the model and reports it again, with the process's resident set. Run it for shapes
/// that differ in one dimension to get the cost per user, per item and per event. With <c>--user-ttl S</c> (seconds,
/// <c>Live:UserTtl</c>) it also waits S + 1 s after the restart, evicts every user and reports the heap again, before
/// training (which then reads every user from the store). Not thread-safe (a console entry point).
/// </summary>
internal static class MemoryCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = Int(args, "--users", 20_000);
        var items = Int(args, "--items", 20_000);
        var events = Int(args, "--events", 500_000);
        var kind = Option(args, "--model", "als");
        var ttl = Int(args, "--user-ttl", 0);
        var folder = Path.Combine(Path.GetTempPath(), "fresco-memory-bench-" + Guid.NewGuid().ToString("N"));
        var options = new FrescoEngineOptions
        {
            Recommend = new RecommendOptions { CacheUsers = 0 },
            Training = new TrainingOptions { Model = kind, Interval = TimeSpan.Zero, AfterEvents = 0, MinEvents = 0 },
            Live = new Fresco.Engine.Realtime.LiveOptions { UserTtl = ttl > 0 ? TimeSpan.FromSeconds(ttl) : null },
        };
        try
        {
            await using (var store = await SqliteStore.OpenAsync(folder))
            await using (var engine = await new FrescoEngineBuilder(store, options, new EngineTrainer()).StartAsync())
            {
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
                {
                    var local = new Random(42 + w);
                    for (var start = w * 1000; start < events; start += 8 * 1000)
                    {
                        var batch = new Feedback[Math.Min(1000, events - start)];
                        for (var i = 0; i < batch.Length; i++)
                        {
                            // Item popularity ~ rank^-1 (power law), users uniform.
                            var item = (int)Math.Min(items - 1, Math.Exp(local.NextDouble() * Math.Log(items)) - 1);
                            batch[i] = new Feedback("view", "u" + local.Next(users), "i" + item, 1, DateTimeOffset.UnixEpoch.AddSeconds(start + i));
                        }
                        await engine.InsertFeedbackAsync(batch, overwrite: false);
                    }
                })));
                Print($"memory: wrote {events} events ({users} users x {items} items) in {watch.Elapsed.TotalSeconds:F1} s");
            }

            await using (var store = await SqliteStore.OpenAsync(folder))
            await using (var engine = await new FrescoEngineBuilder(store, options, new EngineTrainer()).StartAsync())
            {
                var stats = $"{engine.Live.UserCount} users, {engine.Live.ItemCount} items, {await store.CountFeedbackAsync()} stored rows";
                Print($"memory: after restart ({stats}): managed heap {Heap():F1} MiB, RSS {Rss():F1} MiB");
                if (ttl > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(ttl + 1));
                    await engine.EvictInactiveUsersAsync();
                    Print($"memory: after evicting the {engine.Live.EvictedUsers().Count} users inactive for {ttl} s: managed heap {Heap():F1} MiB, RSS {Rss():F1} MiB");
                }
                var report = await engine.TrainNowAsync();
                Print($"memory: after training {report.Kind} ({report.Users} x {report.Items}, promoted {report.Outcome.Promoted}): managed heap {Heap():F1} MiB, RSS {Rss():F1} MiB");
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        return 0;
    }

    private static double Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(true) / 1048576.0;
    }

    private static double Rss() => Process.GetCurrentProcess().WorkingSet64 / 1048576.0;



    private static void Print(FormattableString text) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{text}"));
}
