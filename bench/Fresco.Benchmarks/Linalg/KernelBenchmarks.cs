using BenchmarkDotNet.Attributes;
using Fresco.Core.Linalg;

namespace Fresco.Benchmarks.Linalg;

/// <summary>The small ALS/BPR kernels at a real factor size: one call each.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Rows = 50_000;
    private float[] _factors = null!;
    private float[] _gram = null!;
    private float[] _matrix = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private float[] _z = null!;
    private int[] _indices = null!;
    private float[] _weights = null!;
    private float _biasA;
    private float _biasB;

    [Params(64, 128)]
    public int Factors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _factors = [.. Enumerable.Range(0, Rows * Factors).Select(_ => (random.NextSingle() - 0.5f) * 0.1f)];
        _gram = new float[Factors * Factors];
        DenseKernels.Gram(_factors, Rows, Factors, _gram);
        _matrix = new float[Factors * Factors];
        _x = [.. Enumerable.Range(0, Factors).Select(_ => random.NextSingle())];
        _y = new float[Factors];
        _z = [.. Enumerable.Range(0, Factors).Select(_ => random.NextSingle())];
        _indices = [.. Enumerable.Range(0, 50).Select(_ => random.Next(Rows)).Order()];
        _weights = [.. _indices.Select(_ => 1f)];
    }

    [Benchmark]
    public void SparseProjections50() => SparseProjections.Accumulate(_factors, Factors, _indices, _weights, 1f, 4f, -4f, _x, _y);

    [Benchmark]
    public void MultiplyTransposed() => DenseKernels.MultiplyTransposed(_gram, Factors, _x, _y);

    [Benchmark]
    public void Gram50k() => DenseKernels.Gram(_factors, Rows, Factors, _matrix);

    [Benchmark]
    public void Gram50kTwoThreads() => DenseKernels.Gram(_factors, Rows, Factors, _matrix, 2);

    [Benchmark]
    public void CholeskyFactorAndSolve()
    {
        _gram.CopyTo(_matrix, 0);
        for (var i = 0; i < Factors; i++)
        {
            _matrix[i * Factors + i] += 1f;
        }
        CholeskySolver.TryFactor(_matrix, Factors);
        _x.CopyTo(_y, 0);
        CholeskySolver.Solve(_matrix, Factors, _y);
    }

    [Benchmark]
    public float BprStep() =>
        PairwiseSgd.Step(_factors.AsSpan(0, Factors), _factors.AsSpan(Factors, Factors), _factors.AsSpan(2 * Factors, Factors), ref _biasA, ref _biasB, 1e-4f, 0.01f);
}
