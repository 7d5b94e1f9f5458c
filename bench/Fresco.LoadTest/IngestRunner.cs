using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fresco.Core.Data.Readers;

namespace Fresco.LoadTest;

/// <summary>
/// Loads a data set into a running server over its API and measures the durable ingestion rate:
/// <c>ingest --data PATH [--batch 100] [--writers 64] [--skip N] [--limit N] [--order time|file]</c> (<c>--skip</c>: leave
/// out the first N events of the order, e.g. those a warm-up run sent). Events are sent in time
/// order by default (as a shop's collector would send them: users interleaved); <c>file</c> keeps the data set's row
/// order (ml-1m's is sorted by user, so every batch holds one or two users' events). Items with categories (when the data set has
/// them) are sent first with POST /api/items; then all interactions as feedback (POST /api/feedback, each call
/// answered only once durable) by concurrent writers. Not thread-safe (a console entry point).
/// </summary>
internal static class IngestRunner
{
    public static async Task<int> RunAsync(ApiClient client, Arguments args)
    {
        var path = args.Optional("--data") ?? throw new ArgumentException("--data PATH is required");
        var batchSize = args.Int("--batch", 100);
        var writers = args.Int("--writers", 64);
        var skip = args.Int("--skip", 0);
        var limit = args.Int("--limit", int.MaxValue);
        var order = args.Optional("--order") ?? "time";
        if (order is not ("time" or "file"))
        {
            throw new ArgumentException("--order must be time or file");
        }
        var data = DataReader.Read(path);
        var table = data.AllInteractions();
        var now = DateTimeOffset.UtcNow;

        var itemBatches = new List<string>();
        if (data.ItemCategories is { Count: > 0 } categories)
        {
            foreach (var chunk in categories.Chunk(batchSize))
            {
                itemBatches.Add(JsonSerializer.Serialize(chunk.Select(pair => new
                {
                    ItemId = table.Items.GetId(pair.Key),
                    IsHidden = false,
                    Categories = pair.Value,
                    Labels = Array.Empty<string>(),
                    Comment = "",
                    Timestamp = now,
                })));
            }
        }
        var feedbackBatches = new List<string>();
        var rows = table.Rows.ToArray();
        if (order == "time")
        {
            var sequence = Enumerable.Range(0, rows.Length).ToArray();
            Array.Sort(sequence, (a, b) => rows[a].Timestamp != rows[b].Timestamp ? rows[a].Timestamp.CompareTo(rows[b].Timestamp) : a.CompareTo(b));
            rows = [.. sequence.Select(i => rows[i])];
        }
        var first = Math.Min(rows.Length, Math.Max(0, skip));
        var last = (int)Math.Min(rows.Length, (long)first + limit);
        var events = last - first;
        for (var start = first; start < last; start += batchSize)
        {
            var end = Math.Min(last, start + batchSize);
            var batch = new object[end - start];
            for (var i = start; i < end; i++)
            {
                var row = rows[i];
                batch[i - start] = new
                {
                    FeedbackType = table.EventTypes.GetId(row.EventType),
                    UserId = table.Users.GetId(row.UserIndex),
                    ItemId = table.Items.GetId(row.ItemIndex),
                    Value = row.Value,
                    Timestamp = row.Timestamp > 0 ? DateTimeOffset.FromUnixTimeSeconds(row.Timestamp) : now,
                };
            }
            feedbackBatches.Add(JsonSerializer.Serialize(batch));
        }

        Console.WriteLine($"ingest: {data.Name}: {itemBatches.Count} item batches, {events} events in {feedbackBatches.Count} batches of {batchSize} ({order} order), {writers} writers");
        var itemSeconds = await PostAllAsync(client, "api/items", itemBatches, writers).ConfigureAwait(false);
        var feedbackSeconds = await PostAllAsync(client, "api/feedback", feedbackBatches, writers).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: items {itemSeconds:F2} s; feedback {events} events in {feedbackSeconds:F2} s = {events / feedbackSeconds:F0} events/s (acknowledged = durable)"));
        return 0;
    }

    private static async Task<double> PostAllAsync(ApiClient client, string path, List<string> batches, int writers)
    {
        var next = -1;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches.Count)
            {
                if (!await client.PostJsonAsync(path, batches[b]).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }))).ConfigureAwait(false);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {batches.Count} POST {path} calls failed");
        }
        return watch.Elapsed.TotalSeconds;
    }
}
