using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Fresco.Core.Linalg;

namespace Fresco.Benchmarks.Linalg;

/// <summary>
/// Square single-precision GEMM, C = A B, against a baseline of one TensorPrimitives dot product per element
/// (B transposed beforehand so that both operands are contiguous rows). Reports GFLOP/s (2 n^3 flops).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _bTransposed = [];
    private float[] _c = [];

    [Params(512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray();
        _bTransposed = new float[N * N];
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < N; j++)
            {
                _bTransposed[j * N + i] = _b[i * N + j];
            }
        }
        _c = new float[N * N];
    }

    [Benchmark(Description = "Gemm NN, all cores")]
    public void Gemm2() => Gemm.Multiply(false, false, N, N, N, 1f, _a, N, _b, N, 0f, _c, N);

    [Benchmark(Description = "Gemm NN, 1 thread")]
    public void Gemm1() => Gemm.Multiply(false, false, N, N, N, 1f, _a, N, _b, N, 0f, _c, N, threads: 1);

    [Benchmark(Description = "Gemm NT, all cores")]
    public void GemmNt() => Gemm.Multiply(false, true, N, N, N, 1f, _a, N, _bTransposed, N, 0f, _c, N);

    [Benchmark(Baseline = true, Description = "row dots (TensorPrimitives), all cores")]
    public void RowDots() => Parallel.For(0, N, i =>
    {
        var row = _a.AsSpan(i * N, N);
        for (var j = 0; j < N; j++)
        {
            _c[i * N + j] = System.Numerics.Tensors.TensorPrimitives.Dot(row, _bTransposed.AsSpan(j * N, N));
        }
    });

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5));
            AddColumn(new GflopsColumn());
        }
    }
}
