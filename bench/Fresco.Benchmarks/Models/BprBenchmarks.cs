using BenchmarkDotNet.Attributes;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models;

namespace Fresco.Benchmarks.Models;

/// <summary>One BPR epoch (one sample per interaction) on a medium generated matrix, set-up included.</summary>
[MemoryDiagnoser]
public class BprBenchmarks
{
    private TrainingData _data = null!;
    private ModelOptions _options = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new TrainingData(SyntheticMatrix.Create(20_000, 10_000, 25));
        _options = ModelCatalog.CreateOptions("bpr", ["factors=64", "epochs=1", $"threads={Threads}"]);
    }

    [Benchmark]
    public IRecommender Epoch() => ModelCatalog.Train("bpr", new TrainingContext(_data, _options));
}
