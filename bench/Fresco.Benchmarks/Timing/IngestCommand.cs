using System.Diagnostics;
using System.Globalization;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// Durable ingestion rate of the embedded store: <c>ingest [--events 200000] [--batch 100] [--writers 64]</c>.
/// Random <c>click</c> feedback (50k users x 20k items) is inserted by concurrent writers in batches; every
/// call returns only after its batch is committed (WAL, synchronous=FULL). Not thread-safe (a console entry point).
/// </summary>
internal static class IngestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = Int(args, "--events", 200_000);
        var batchSize = Int(args, "--batch", 100);
        var writers = Int(args, "--writers", 64);
        var folder = Path.Combine(Path.GetTempPath(), "fresco-ingest-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = await SqliteStore.OpenAsync(folder);
            var now = DateTimeOffset.UtcNow;
            var random = new Random(42);
            var batches = Enumerable.Range(0, total / batchSize)
                .Select(_ => Enumerable.Range(0, batchSize)
                    .Select(_ => new Feedback("click", $"u{random.Next(50_000)}", $"i{random.Next(20_000)}", 1, now)).ToArray())
                .ToArray();
            await store.InsertFeedbackAsync(batches[0], overwrite: false);
            var next = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < batches.Length)
                {
                    await store.InsertFeedbackAsync(batches[b], overwrite: false);
                }
            })));
            watch.Stop();
            var events = (batches.Length - 1) * batchSize;
            var stored = await store.CountFeedbackAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ingest: {events} events, batches of {batchSize}, {writers} writers: {watch.Elapsed.TotalSeconds:F2} s, {events / watch.Elapsed.TotalSeconds:F0} events/s durable; stored {stored}"));
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

}
