using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models;
using Fresco.Models.Factors;

namespace Fresco.Benchmarks.Models;

/// <summary>
/// Serving one user (score every item, then select the top 10) from the same ALS factors in fp32 (the baseline of
/// each category) and with the item table in int8 (quantize=int8): a known user, and an anonymous 8-item history
/// (fold-in included). Single thread; catalogue sizes of ml-1m (3,706 items) and a larger shop.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FactorQuantizationBenchmarks
{
    private readonly ScoredItem[] _top = new ScoredItem[10];
    private readonly float[] _weights = [1, 1, 1, 1, 1, 1, 1, 1];
    private int[] _history = [];
    private FactorModel _fp32 = null!;
    private FactorModel _int8 = null!;
    private CsrMatrix _matrix = null!;

    [Params(3_706, 50_000)]
    public int Items { get; set; }

    [Params(64)]
    public int Factors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _matrix = SyntheticMatrix.Create(2_000, Items, 20);
        var options = ModelCatalog.CreateOptions("als", [$"factors={Factors}", "iterations=3", "threads=2"]);
        _fp32 = (FactorModel)ModelCatalog.Train("als", new TrainingContext(new TrainingData(_matrix), options));
        _int8 = _fp32.WithQuantization(ItemQuantization.Int8);
        _history = [.. new[] { 3, 17, 256, 1024, 2000, 2500, 3000, 3500 }.Select(i => i % Items)];
    }

    [Benchmark(Baseline = true, Description = "fp32")]
    [BenchmarkCategory("known user")]
    public int KnownFp32() => _fp32.Recommend(UserHistory.FromMatrix(_matrix, 42), _top);

    [Benchmark(Description = "int8")]
    [BenchmarkCategory("known user")]
    public int KnownInt8() => _int8.Recommend(UserHistory.FromMatrix(_matrix, 42), _top);

    [Benchmark(Baseline = true, Description = "fp32")]
    [BenchmarkCategory("anonymous user")]
    public int AnonymousFp32() => _fp32.Recommend(UserHistory.Anonymous(_history, _weights), _top);

    [Benchmark(Description = "int8")]
    [BenchmarkCategory("anonymous user")]
    public int AnonymousInt8() => _int8.Recommend(UserHistory.Anonymous(_history, _weights), _top);
}
