using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models.Bpr;
using Fresco.Models.Factors;
using Fresco.Retrieval.Usearch;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// Approximate vs exact retrieval on a synthetic factor model:
/// <c>ann [--items 1000000] [--factors 64] [--queries 1000] [--ef 64,128,256] [--ef-add 128] [--connectivity 16] [--threads 2]</c>.
/// Items lie around 256 taste centers with norms spread over [0.5, 1.5] and a bias, like a trained BPR model.
/// Prints the USearch build time and native memory, then per search expansion the single-thread query latency
/// (p50/p99) of the index and of the exact SIMD scan (score all, select top 10) and recall@10 against the scan.
/// Not thread-safe (a console entry point).
/// </summary>
internal static class AnnCommand
{
    public static int Run(string[] args)
    {
        var items = Int(args, "--items", 1_000_000);
        var factors = Int(args, "--factors", 64);
        var queries = Int(args, "--queries", 1000);
        var threads = Int(args, "--threads", 2);
        var expansions = Option(args, "--ef", "64,128,256").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var watch = Stopwatch.StartNew();
        var model = Synthetic(queries, items, factors);
        Console.WriteLine($"synthetic bpr model: {items} items x {factors} factors, {queries} users, made in {watch.Elapsed.TotalSeconds:F1} s");

        var before = Process.GetCurrentProcess().WorkingSet64;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        using var retriever = new UsearchRetriever(model, new UsearchOptions
        {
            MinItems = 0,
            SimilarItems = false,
            BuildThreads = threads,
            Connectivity = Int(args, "--connectivity", 16),
            ExpansionAdd = Int(args, "--ef-add", 128),
        });
        var build = watch.Elapsed;
        var buildCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var grown = Process.GetCurrentProcess().WorkingSet64 - before;
        Console.WriteLine($"usearch build (inner product, {factors + 1} dims, {threads} threads): {build.TotalSeconds:F1} s wall, {buildCpu.TotalSeconds:F1} s CPU; " +
            $"native memory {retriever.MemoryBytes / 1048576.0:F0} MiB (working set +{grown / 1048576.0:F0} MiB); " +
            $"item factors alone {(long)items * factors * 4 / 1048576.0:F0} MiB");

        var exact = new ScoredItem[queries][];
        var exactTimes = new double[queries];
        var scores = new float[items];
        for (var user = 0; user < queries; user++)
        {
            var start = Stopwatch.GetTimestamp();
            model.Score(new UserHistory(user, [], []), scores);
            exact[user] = new ScoredItem[10];
            TopK.Select(scores, exact[user]);
            exactTimes[user] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Console.WriteLine($"exact scan (1 thread): p50 {Percentile(exactTimes, 0.5):F3} ms, p99 {Percentile(exactTimes, 0.99):F3} ms");

        var found = new ScoredItem[10];
        foreach (var expansion in expansions)
        {
            retriever.ChangeExpansionSearch(expansion);
            var times = new double[queries];
            var hits = 0;
            for (var user = 0; user < queries; user++)
            {
                var start = Stopwatch.GetTimestamp();
                var count = retriever.Retrieve(new UserHistory(user, [], []), found);
                times[user] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                foreach (var item in found.AsSpan(0, count))
                {
                    hits += Array.Exists(exact[user], e => e.ItemIndex == item.ItemIndex) ? 1 : 0;
                }
            }
            Console.WriteLine($"usearch ef={expansion} (1 thread): p50 {Percentile(times, 0.5):F3} ms, p99 {Percentile(times, 0.99):F3} ms, " +
                $"recall@10 {hits / (10.0 * queries):F4}");
        }
        return 0;
    }

    private static BprModel Synthetic(int users, int items, int factors)
    {
        var random = new Random(17);
        const int Centers = 256;
        var centers = Gaussian(random, Centers * factors, 1f);
        var itemFactors = Gaussian(random, (long)items * factors, 0.6f);
        var bias = new float[items];
        var norm = 1f / MathF.Sqrt(factors);
        for (var i = 0; i < items; i++)
        {
            var scale = (float)(0.5 + random.NextDouble()) * norm;
            var center = random.Next(Centers) * factors;
            var row = itemFactors.AsSpan(i * factors, factors);
            for (var f = 0; f < factors; f++)
            {
                row[f] = scale * (row[f] + centers[center + f]);
            }
            bias[i] = (float)(0.2 * (random.NextDouble() - 0.5));
        }
        var userFactors = Gaussian(random, (long)users * factors, 0.5f);
        for (var u = 0; u < users; u++)
        {
            var center = random.Next(Centers) * factors;
            for (var f = 0; f < factors; f++)
            {
                userFactors[u * factors + f] += centers[center + f];
            }
        }
        return new BprModel(new FactorModelBody(factors, userFactors, itemFactors, bias, new Dictionary<string, string>()));
    }

    private static float[] Gaussian(Random random, long length, float deviation)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = deviation * (float)(Math.Sqrt(-2 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return values;
    }

    private static double Percentile(double[] values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
    }


}
