using System.Diagnostics;
using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// Plain wall-clock timing on a real file, outside BenchmarkDotNet:
/// <c>train-als|train-bpr|recommend --data FILE-OR-FOLDER (any format fresco reads; a split folder gives its training part) [--factors 64] [--iterations 15] [--epochs 5] [--threads 2] [--users 20000]</c>.
/// Prints seconds per iteration/epoch, users per second and peak memory. Not thread-safe (a console entry point).
/// </summary>
internal static class TimingCommand
{
    public static bool Handles(string command) => command is "train-als" or "train-bpr" or "recommend";

    public static int Run(string[] args)
    {
        var command = args[0];
        var data = Option(args, "--data", "/tmp/synth.txt");
        var factors = Option(args, "--factors", "64");
        var threads = Option(args, "--threads", "2");
        var load = Stopwatch.StartNew();
        var matrix = EventWeights.Uniform.BuildMatrix(DataReader.Read(data).Interactions);
        Console.WriteLine($"read {matrix.Rows} users x {matrix.Columns} items, {matrix.NonZeros} interactions in {load.Elapsed.TotalSeconds:F2} s");
        var model = command switch
        {
            "train-bpr" => TimeTraining(matrix, "bpr", [$"factors={factors}", $"epochs={Option(args, "--epochs", "5")}", $"threads={threads}"], "epoch"),
            _ => TimeTraining(matrix, "als", [$"factors={factors}", $"iterations={Option(args, "--iterations", command == "recommend" ? "1" : "15")}", $"threads={threads}"], "iteration"),
        };
        if (command == "recommend")
        {
            TimeRecommend(model, matrix, int.Parse(Option(args, "--users", "20000")), int.Parse(threads));
        }
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB, GC heap {gc.HeapSizeBytes / 1048576.0:F0} MiB, total allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB");
        return 0;
    }

    private static IRecommender TimeTraining(CsrMatrix matrix, string name, string[] settings, string unit)
    {
        var options = ModelCatalog.CreateOptions(name, settings);
        var progress = new StepTimer();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        var model = ModelCatalog.Train(name, new TrainingContext(new TrainingData(matrix), options, Progress: progress));
        total.Stop();
        var trainingAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var csrBytes = (matrix.Rows + 1) * 8L + matrix.NonZeros * 8L;
        var factorBytes = (long)(matrix.Rows + matrix.Columns) * int.Parse(Setting(settings, "factors=", "64"), System.Globalization.CultureInfo.InvariantCulture) * 4;
        Console.WriteLine($"training allocated {trainingAllocated / 1048576.0:F0} MiB; for scale: the CSR matrix is {csrBytes / 1048576.0:F0} MiB, " +
            $"user + item factors {factorBytes / 1048576.0:F0} MiB");
        var steps = progress.Durations;
        var sorted = steps.Order().ToArray();
        Console.WriteLine($"{name} {string.Join(' ', settings)}: total {total.Elapsed.TotalSeconds:F2} s (set-up included), " +
            $"per {unit}: median {sorted[sorted.Length / 2]:F3} s, mean {steps.Average():F3} s, min {sorted[0]:F3} s " +
            $"[{string.Join(' ', steps.Select(s => s.ToString("F2")))}]; CPU s per {unit}: median {progress.CpuSeconds.Order().ElementAt(steps.Count / 2):F3}");
        return model;
    }

    private static void TimeRecommend(IRecommender model, CsrMatrix history, int userCount, int threads)
    {
        userCount = Math.Min(userCount, history.Rows);
        var users = Enumerable.Range(0, userCount).Select(u => (int)((long)u * history.Rows / userCount)).ToArray();
        const int K = 10;
        var results = new ScoredItem[users.Length * K];
        var counts = new int[users.Length];
        model.RecommendBatch(users.AsSpan(0, Math.Min(256, users.Length)), history, K, results, counts, threads);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        model.RecommendBatch(users, history, K, results, counts, threads);
        watch.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"recommend top-{K} with exclusions, {users.Length} users, {threads} threads: {watch.Elapsed.TotalSeconds:F2} s, " +
            $"{users.Length / watch.Elapsed.TotalSeconds:F0} users/s wall; {cpuSeconds:F2} CPU s = {users.Length * threads / cpuSeconds:F0} users/s at {threads} unshared cores");
    }

    /// <summary>The value of a "name=value" setting, e.g. Setting(settings, "factors=", "64").</summary>
    private static string Setting(string[] settings, string prefix, string fallback) =>
        settings.FirstOrDefault(s => s.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..] ?? fallback;


    private sealed class StepTimer : IProgress<TrainingProgress>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private double _last;
        private double _lastCpu = Cpu();

        public List<double> Durations { get; } = [];

        /// <summary>Process CPU seconds per step (all threads): on a shared machine, CPU / threads is the unshared wall time.</summary>
        public List<double> CpuSeconds { get; } = [];

        public void Report(TrainingProgress value)
        {
            var now = _watch.Elapsed.TotalSeconds;
            var cpu = Cpu();
            Durations.Add(now - _last);
            CpuSeconds.Add(cpu - _lastCpu);
            _last = now;
            _lastCpu = cpu;
        }

        private static double Cpu()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime.TotalSeconds;
        }
    }
}
