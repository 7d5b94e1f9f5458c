using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Fresco.TestKit;
using Microsoft.Extensions.Logging;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// The real server with its data folder on a small tmpfs, filled by concurrent writers: refused writes answer 507 and
/// are not acknowledged, reads go on, health, log and metric show it, writes resume once space is freed, and every
/// acknowledged event is there after a restart. Runs as root (CI); skipped elsewhere with the reason. Runs alone: the
/// Prometheus registry is one per process, and another test's engine exporting the same gauge would hide this one's.
/// </summary>
[Collection(nameof(ProcessMetrics))]
public sealed class DiskFullTests
{
    private const int Writers = 4;
    private const int BatchSize = 50;

    /// <summary>Writes to <paramref name="path"/> until the filesystem has no space left.</summary>
    private static void FillDisk(string path)
    {
        var chunk = new byte[16 * 1024];
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
            while (true)
            {
                stream.Write(chunk);
            }
        }
        catch (IOException)
        {
            // No space left on device: the filler holds what was free.
        }
    }

    [Fact]
    public async Task AFullDiskRefusesWritesWith507KeepsReadingAndRecoversWithoutLosingAnAcknowledgedEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var disk = SmallFilesystem.Mount(6 * 1024 * 1024);
        var data = Path.Combine(disk.Path, "data");
        // Ballast: deleting it is the operator freeing space.
        var ballast = Path.Combine(disk.Path, "ballast");
        await File.WriteAllBytesAsync(ballast, new byte[2 * 1024 * 1024], ct);
        var logs = new RecordingLogger();
        var acknowledged = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var app = await TestApp.StartRealAsync(data, logs, ("Training:Interval", "00:00:00"), ("Training:AfterEvents", "0"),
            ("Logging:LogLevel:Fresco.Engine", "Information"));
        try
        {
            // Write until the disk is full: each writer stops at its first refusal.
            var batches = 0;
            string? refusal = null;
            async Task WriteUntilRefused(int writer)
            {
                while (true)
                {
                    var batch = Interlocked.Increment(ref batches);
                    var (status, body, ids) = await PostBatch(app, batch, ct);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status == HttpStatusCode.OK)
                    {
                        ids.ForEach(acknowledged.Add);
                        continue;
                    }
                    refusal ??= body;
                    return;
                }
            }
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(WriteUntilRefused)).WaitAsync(TimeSpan.FromMinutes(3), ct);
            Assert.True(acknowledged.Count > 0, "some writes should have been acknowledged before the disk filled");
            Assert.True(statuses.Keys.All(s => s is HttpStatusCode.OK or HttpStatusCode.InsufficientStorage),
                "only 200 and 507: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key} x{s.Value}")));
            Assert.NotNull(refusal);
            using (var problem = JsonDocument.Parse(refusal))
            {
                Assert.Equal(507, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Contains("disk is full", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            // Still full: more refusals, reads work, health and metrics say so, the log said it when it began (once per
            // change: near the limit a small write can still fit, so it may flap) and not for each refusal.
            static int FullErrors(RecordingLogger logs) =>
                logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("disk is full", StringComparison.Ordinal));
            var errorsBefore = FullErrors(logs);
            Assert.True(errorsBefore >= 1);
            // Take the space left (a WAL checkpoint since the last refusal can free some), so these writes cannot fit.
            var filler = Path.Combine(disk.Path, "filler");
            FillDisk(filler);
            for (var i = 0; i < 5; i++)
            {
                var (stillFull, _, _) = await PostBatch(app, Interlocked.Increment(ref batches), ct);
                Assert.Equal(HttpStatusCode.InsufficientStorage, stillFull);
            }
            Assert.Equal(errorsBefore, FullErrors(logs));
            var health = await app.Json(app.Get("/api/health/ready"));
            Assert.True(health.GetProperty("Ready").GetBoolean());
            Assert.False(health.GetProperty("Writable").GetBoolean());
            await app.Json(app.Get("/api/recommend/user-0?n=5"));
            await app.Json(app.Get("/api/popular"));
            await app.Json(app.Get("/api/users?n=10"));
            var metrics = await (await app.Get("/metrics")).Content.ReadAsStringAsync(ct);
            // The Prometheus text holds one series per name for the whole process (earlier tests' engines fed it too),
            // so the value is read from this engine's instrument, and the text is checked for the series.
            Assert.Contains("fresco_engine_store_full", metrics, StringComparison.Ordinal);
            Assert.Equal(1, StoreFullGauge());
            Assert.Contains("fresco_engine_store_write_failures", metrics, StringComparison.Ordinal);

            // Space returns: writes resume without a restart.
            File.Delete(ballast);
            File.Delete(filler);
            var resumed = false;
            for (var attempt = 0; attempt < 100 && !resumed; attempt++)
            {
                var (status, _, ids) = await PostBatch(app, Interlocked.Increment(ref batches), ct);
                if (status == HttpStatusCode.OK)
                {
                    ids.ForEach(acknowledged.Add);
                    resumed = true;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.InsufficientStorage, status);
                    await Task.Delay(100, ct);
                }
            }
            Assert.True(resumed, "writes should resume once space is freed");
            Assert.True((await app.Json(app.Get("/api/health/ready"))).GetProperty("Writable").GetBoolean());
            Assert.Contains(logs.Entries, e => e.Message.Contains("takes writes again", StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Every acknowledged event survived: restart on the same folder and look for each.
        await using var restarted = await TestApp.StartRealAsync(data, ("Training:Interval", "00:00:00"), ("Training:AfterEvents", "0"));
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var cursor = "";
        do
        {
            var page = await restarted.Json(restarted.Get($"/api/feedback?n=10000&cursor={Uri.EscapeDataString(cursor)}"));
            foreach (var row in page.GetProperty("Feedback").EnumerateArray())
            {
                stored.Add(row.GetProperty("ItemId").GetString()!);
            }
            cursor = page.GetProperty("Cursor").GetString() ?? "";
        }
        while (cursor.Length > 0);
        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged events are missing, e.g. {missing.FirstOrDefault()}");
    }

    /// <summary>Posts one batch of new events (every item id unique, so each row can be found again).</summary>
    private static async Task<(HttpStatusCode Status, string Body, List<string> Ids)> PostBatch(TestApp app, int batch, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, BatchSize).Select(i => $"item-{batch}-{i}").ToList();
        var json = new StringBuilder("[");
        for (var i = 0; i < ids.Count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(
                $$"""{"FeedbackType":"view","UserId":"user-{{(batch + i) % 40}}","ItemId":"{{ids[i]}}","Comment":"{{new string('x', 64)}}"}""");
        }
        using var response = await app.Post("/api/feedback", json.Append(']').ToString());
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct), ids);
    }

    /// <summary>The value of the live engine's <c>store.full</c> gauge (the only engine alive: this class runs alone).</summary>
    private static long StoreFullGauge()
    {
        long value = -1;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Fresco.Engine" && instrument.Name == "store.full")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, measurement, _, _) => value = Math.Max(value, measurement));
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = Math.Max(value, measurement));
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
