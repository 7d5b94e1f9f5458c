using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Fresco.Benchmarks.Linalg;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models.Ease;

namespace Fresco.Benchmarks.Models;

/// <summary>
/// EASE fit (sparse Gram, Cholesky inverse, weights) on a generated users x items matrix with a Zipf-like item
/// popularity, 20 interactions per user on average. The GFLOP/s column counts the inverse's n^3 flops.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class EaseBenchmarks
{
    private TrainingContext? _context;

    [Params(2000, 6000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var users = N * 3;
        var rng = new Random(7);
        var builder = new CsrBuilder(users, N, users * 20);
        for (var u = 0; u < users; u++)
        {
            var length = 5 + rng.Next(31);
            for (var t = 0; t < length; t++)
            {
                var item = (int)(N * Math.Pow(rng.NextDouble(), 2.5));
                builder.Add(u, Math.Min(item, N - 1), 1f);
            }
        }
        _context = new TrainingContext(new TrainingData(builder.Build(DuplicatePolicy.Max)), new EaseOptions());
    }

    [Benchmark]
    public EaseModel Fit() => EaseTrainer.Train(_context!);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1));
            AddColumn(new GflopsColumn(1.0));
        }
    }
}
