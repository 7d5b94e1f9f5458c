using BenchmarkDotNet.Attributes;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models;
using Fresco.Models.Als;

namespace Fresco.Benchmarks.Models;

/// <summary>Serving an ALS model over 50k items: one known user, one anonymous user (fold-in), the fold-in alone, a batch of 256 users.</summary>
[MemoryDiagnoser]
public class FactorModelBenchmarks
{
    private readonly ScoredItem[] _top = new ScoredItem[10];
    private readonly int[] _history = [3, 17, 256, 1024, 4000, 9000, 20000, 31000];
    private readonly float[] _weights = [1, 1, 1, 1, 1, 1, 1, 1];
    private IRecommender _model = null!;
    private float[] _vector = null!;
    private CsrMatrix _matrix = null!;
    private int[] _batch = null!;
    private ScoredItem[] _batchResults = null!;
    private int[] _batchCounts = null!;

    [Params(64, 128)]
    public int Factors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _matrix = SyntheticMatrix.Create(5_000, 50_000, 20);
        var options = ModelCatalog.CreateOptions("als", [$"factors={Factors}", "iterations=1", "threads=2"]);
        _model = ModelCatalog.Train("als", new TrainingContext(new TrainingData(_matrix), options));
        _vector = new float[Factors];
        _batch = [.. Enumerable.Range(0, 256)];
        _batchResults = new ScoredItem[_batch.Length * 10];
        _batchCounts = new int[_batch.Length];
    }

    [Benchmark]
    public int KnownUser() => _model.Recommend(UserHistory.FromMatrix(_matrix, 42), _top);

    [Benchmark]
    public int AnonymousUser() => _model.Recommend(UserHistory.Anonymous(_history, _weights), _top);

    [Benchmark]
    public void FoldIn() => ((AlsModel)_model).FoldIn(_history, _weights, _vector);

    [Benchmark(OperationsPerInvoke = 256)]
    public void Batch256() => _model.RecommendBatch(_batch, _matrix, 10, _batchResults, _batchCounts, threads: 2);
}
