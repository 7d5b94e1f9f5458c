using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Engine;
using Fresco.Engine.Models;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Fresco.Models;
using Fresco.Storage.Sqlite;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// The engine end to end on a real file: <c>engine --data FILE-OR-FOLDER [--model als] [--requests 20000] [--batch 1000] [--store memory|sqlite]
/// [--scenario RULES.json[,MORE.json]] [--param NAME=VALUE]</c>.
/// Ingests every event through <see cref="FrescoEngine.InsertFeedbackAsync"/>, trains the model, restarts the engine
/// over the same store (replay time),
/// then times <see cref="FrescoEngine.Recommend"/> for random known users with the cache off (p50/p99/mean, one
/// thread), with the cache warm, and write-then-read freshness (one event, then the user's next list). With a scenario,
/// recommend is timed without and with each (stored under its file name) in three alternating rounds, the request
/// carrying the <c>--param</c> request parameter when given; then the first request with each of 50 new values of that
/// parameter (each evaluates the scenarios' parameter filters over the whole catalog once).
/// Not thread-safe (a console entry point).
/// </summary>
internal static class EngineCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var data = DataReader.Read(Option(args, "--data", "/tmp/synth.txt")).AllInteractions();
        var kind = Option(args, "--model", "als");
        var requests = int.Parse(Option(args, "--requests", "20000"), CultureInfo.InvariantCulture);
        var batchSize = int.Parse(Option(args, "--batch", "1000"), CultureInfo.InvariantCulture);
        var sqlite = Option(args, "--store", "memory") == "sqlite";
        var folder = Path.Combine(Path.GetTempPath(), "fresco-engine-bench-" + Guid.NewGuid().ToString("N"));
        IStore store = sqlite ? await SqliteStore.OpenAsync(folder) : new InMemoryStore();
        var options = new FrescoEngineOptions
        {
            Recommend = new RecommendOptions { CacheUsers = 0 },
            Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 0 },
        };
        var engine = await new FrescoEngineBuilder(store, options, new Trainer(kind)).StartAsync();
        try
        {
            var rows = data.Rows.ToArray();
            var watch = Stopwatch.StartNew();
            for (var start = 0; start < rows.Length; start += batchSize)
            {
                var batch = rows.AsSpan(start, Math.Min(batchSize, rows.Length - start)).ToArray().Select(r => new Feedback(
                    data.EventTypes.GetId(r.EventType), data.Users.GetId(r.UserIndex), data.Items.GetId(r.ItemIndex), r.Value,
                    DateTimeOffset.FromUnixTimeSeconds(r.Timestamp))).ToArray();
                await engine.InsertFeedbackAsync(batch, overwrite: false);
            }
            Print($"ingest: {rows.Length} events through the engine ({(sqlite ? "sqlite" : "in-memory")} store, batches of {batchSize}) in {watch.Elapsed.TotalSeconds:F2} s, {rows.Length / watch.Elapsed.TotalSeconds:F0} events/s");
            watch.Restart();
            var report = await engine.TrainNowAsync();
            Print($"train {kind}: {watch.Elapsed.TotalSeconds:F2} s, promoted {report.Outcome.Promoted}, {report.Users} users x {report.Items} items");
            await engine.DisposeAsync();
            watch.Restart();
            engine = await new FrescoEngineBuilder(store, options, new Trainer(kind)).StartAsync();
            Print($"restart: model loaded and {rows.Length} events replayed in {watch.Elapsed.TotalSeconds:F2} s");
            GC.Collect();
            Print($"managed heap after restart (store, live state, model): {GC.GetTotalMemory(true) / 1048576.0:F0} MiB");

            var random = new Random(7);
            var users = Enumerable.Range(0, requests).Select(_ => data.Users.GetId(random.Next(data.Users.Count))).ToArray();
            var query = new RecommendQuery(10);
            Time("recommend (cache off)", users, u => engine.Recommend(u, query));
            if (args.Contains("--scenario"))
            {
                var paths = Option(args, "--scenario", "").Split(',');
                var parameter = Option(args, "--param", "").Split('=', 2);
                Dictionary<string, string>? parameters = parameter.Length == 2 ? new() { [parameter[0]] = parameter[1] } : null;
                foreach (var path in paths)
                {
                    var rules = JsonSerializer.Deserialize<Scenario>(File.ReadAllText(path)) ?? throw new ArgumentException($"{path} holds JSON null");
                    await engine.PutScenarioAsync(Path.GetFileNameWithoutExtension(path), rules);
                }
                for (var round = 1; round <= 3; round++)
                {
                    Time($"round {round}: recommend (cache off), rules off", users, u => engine.Recommend(u, query));
                    foreach (var path in paths)
                    {
                        var under = query with { Scenario = Path.GetFileNameWithoutExtension(path), Parameters = parameters };
                        Time($"round {round}: recommend (cache off), rules of {Path.GetFileName(path)} on", users, u => engine.Recommend(u, under));
                    }
                }
                if (parameters is not null)
                {
                    var fresh = new double[50];
                    for (var i = 0; i < fresh.Length; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        foreach (var path in paths)
                        {
                            engine.Recommend(users[i], query with
                            {
                                Scenario = Path.GetFileNameWithoutExtension(path),
                                Parameters = new Dictionary<string, string> { [parameter[0]] = parameter[1] + "-" + i.ToString(CultureInfo.InvariantCulture) },
                            });
                        }
                        fresh[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }
                    Summarise($"first request with a new value of {parameter[0]} (every scenario given)", fresh);
                }
            }
            Time("item neighbors", users, u => engine.ItemNeighbors(data.Items.GetId(u.Length % data.Items.Count), query));
            var latencies = new double[Math.Min(requests, 2000)];
            for (var i = 0; i < latencies.Length; i++)
            {
                var write = Stopwatch.GetTimestamp();
                await engine.InsertFeedbackAsync([new Feedback("view", users[i], data.Items.GetId(random.Next(data.Items.Count)), 1, DateTimeOffset.UtcNow)], false);
                engine.Recommend(users[i], query);
                latencies[i] = Stopwatch.GetElapsedTime(write).TotalMicroseconds;
            }
            Summarise("insert one event + recommend", latencies);
        }
        finally
        {
            await engine.DisposeAsync();
            await store.DisposeAsync();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        return 0;
    }

    private static void Time(string name, string[] users, Func<string, object?> call)
    {
        for (var i = 0; i < Math.Min(users.Length, 500); i++)
        {
            call(users[i]);
        }
        var latencies = new double[users.Length];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < users.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call(users[i]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Summarise(name, latencies, (GC.GetAllocatedBytesForCurrentThread() - before) / (double)users.Length);
    }

    private static void Summarise(string name, double[] microseconds, double bytesPerCall = double.NaN)
    {
        var mean = microseconds.Average();
        Array.Sort(microseconds);
        Print($"{name}: {microseconds.Length} calls, mean {mean:F1} us, p50 {microseconds[microseconds.Length / 2]:F1} us, p99 {microseconds[(int)(microseconds.Length * 0.99)]:F1} us"
            + (double.IsNaN(bytesPerCall) ? "" : $", {bytesPerCall:F0} B allocated per call"));
    }

    private static void Print(FormattableString text) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{text}"));

    private static void Print(string text) => Console.WriteLine(text);


    private sealed class Trainer(string kind) : IModelTrainer
    {
        public async Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var model = ModelCatalog.Train(kind, new TrainingContext(new TrainingData(snapshot.UserItems), ModelCatalog.CreateOptions(kind)));
            var metrics = new Dictionary<string, double> { ["ndcg@10"] = 1 };
            var outcome = await snapshot.Registry.ProposeAsync(model, snapshot.Ids,
                new CandidateReport(metrics, snapshot.Serving is null ? null : metrics), new QualityGate("ndcg@10", 0), cancellationToken);
            return new TrainingReport(outcome, kind, snapshot.UserItems.Rows, snapshot.UserItems.Columns, snapshot.Events, metrics, null,
                Stopwatch.GetElapsedTime(started));
        }
    }
}
