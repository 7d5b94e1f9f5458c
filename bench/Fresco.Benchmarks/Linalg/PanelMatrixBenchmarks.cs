using BenchmarkDotNet.Attributes;
using Fresco.Core.Linalg;

namespace Fresco.Benchmarks.Linalg;

/// <summary>The blocked scoring kernel: a block of user vectors times all item factors (one 64-user block per operation).</summary>
[MemoryDiagnoser]
public class PanelMatrixBenchmarks
{
    private PanelMatrix _panels = null!;
    private float[] _vectors = null!;
    private float[] _scores = null!;

    [Params(64, 128)]
    public int Factors { get; set; }

    [Params(1, 64)]
    public int Users { get; set; }

    [Params(50_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var factors = new float[Items * Factors];
        for (var i = 0; i < factors.Length; i++)
        {
            factors[i] = random.NextSingle() - 0.5f;
        }
        _panels = new PanelMatrix(factors, Items, Factors);
        _vectors = [.. Enumerable.Range(0, Users * Factors).Select(_ => random.NextSingle() - 0.5f)];
        _scores = new float[Users * Items];
    }

    [Benchmark]
    public void Multiply() => _panels.Multiply(_vectors, Users, _scores, Items);
}
