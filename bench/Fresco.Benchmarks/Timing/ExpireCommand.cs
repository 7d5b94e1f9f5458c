using System.Diagnostics;
using System.Globalization;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// What a feedback TTL sweep costs the writes beside it on SQLite:
/// <c>expire [--rows 1000000] [--expired 500000] [--batch 1000] [--seconds 20]</c>. Fills a store with
/// <c>--rows</c> random views (50k users x 20k items), <c>--expired</c> of them dated a year back, then for
/// <c>--seconds</c> runs one writer inserting 100-row batches back to back (the write path), first alone, then beside a
/// sweep deleting the expired rows in batches of <c>--batch</c> (<see cref="IEventStore.DeleteFeedbackBeforeAsync"/>,
/// resting as long as each batch took, as the engine's sweep does). Prints the write latency percentiles of both phases and the time of
/// each delete batch. Not thread-safe (a console entry point).
/// </summary>
internal static class ExpireCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Int(args, "--rows", 1_000_000);
        var expired = Int(args, "--expired", 500_000);
        var batch = Int(args, "--batch", 1000);
        var seconds = Int(args, "--seconds", 20);
        var folder = Path.Combine(Path.GetTempPath(), "fresco-expire-bench-" + Guid.NewGuid().ToString("N"));
        var now = DateTimeOffset.UtcNow;
        var random = new Random(42);
        try
        {
            await using var store = await SqliteStore.OpenAsync(folder);
            for (var start = 0; start < rows; start += 10_000)
            {
                var fill = new Feedback[Math.Min(10_000, rows - start)];
                for (var i = 0; i < fill.Length; i++)
                {
                    var old = start + i < expired;
                    fill[i] = new Feedback("view", "u" + random.Next(50_000), "i" + random.Next(20_000), 1,
                        old ? now.AddDays(-365).AddSeconds(start + i) : now.AddSeconds(-(start + i)));
                }
                await store.InsertFeedbackAsync(fill, overwrite: false);
            }
            Console.WriteLine($"expire: {await store.CountFeedbackAsync():N0} rows stored, {expired:N0} dated a year back, batch {batch}");
            var alone = await WritesAsync(store, random, TimeSpan.FromSeconds(seconds), null);
            Report("writes alone", alone);
            using var stop = new CancellationTokenSource();
            var deletes = new List<double>();
            var sweep = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    var gone = await store.DeleteFeedbackBeforeAsync(now.AddDays(-30), batch);
                    var took = Stopwatch.GetElapsedTime(started);
                    deletes.Add(took.TotalMilliseconds);
                    if (gone.Count < batch)
                    {
                        return;
                    }
                    await Task.Delay(took); // the engine's RetentionSweep rests as long as a batch took
                }
            });
            var beside = await WritesAsync(store, random, TimeSpan.FromSeconds(seconds), sweep);
            await stop.CancelAsync();
            await sweep;
            Report("writes beside the sweep", beside);
            Report($"delete batches ({deletes.Count} x {batch} rows)", deletes);
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>One writer's 100-row inserts, back to back, for <paramref name="duration"/> or until <paramref name="until"/> ends.</summary>
    private static async Task<List<double>> WritesAsync(SqliteStore store, Random random, TimeSpan duration, Task? until)
    {
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && until is not { IsCompleted: true })
        {
            var write = new Feedback[100];
            for (var i = 0; i < write.Length; i++)
            {
                write[i] = new Feedback("click", "w" + random.Next(50_000), "i" + random.Next(20_000), 1, DateTimeOffset.UtcNow);
            }
            var started = Stopwatch.GetTimestamp();
            await store.InsertFeedbackAsync(write, overwrite: false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }

    private static void Report(string what, List<double> ms)
    {
        if (ms.Count == 0)
        {
            Console.WriteLine($"{what}: none");
            return;
        }
        ms.Sort();
        double At(double q) => ms[Math.Min(ms.Count - 1, (int)(q * ms.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={ms.Count} p50={At(0.5):F2} ms p99={At(0.99):F2} ms max={ms[^1]:F2} ms"));
    }
}
