using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Fresco.Core.Linalg.Quantization;

namespace Fresco.Benchmarks.Linalg;

/// <summary>
/// One query scored against every item of a 64-factor catalogue, single-threaded: int8 ScoreAll (query
/// quantization included) on each instruction path against fp32 (one TensorPrimitives dot per row, and a
/// blocked Vector512 mat-vec).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class Int8ScoringBenchmarks
{
    public const int Factors = 64;

    private float[] _items = [];
    private QuantizedMatrix _quantized = null!;
    private float[] _user = [];
    private byte[] _query = [];
    private float[] _scores = [];

    [Params(50_000, 1_000_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _items = [.. Enumerable.Range(0, Items * Factors).Select(_ => random.NextSingle() * 2f - 1f)];
        _quantized = QuantizedMatrix.Quantize(_items, Items, Factors);
        _user = [.. Enumerable.Range(0, Factors).Select(_ => random.NextSingle() * 2f - 1f)];
        _query = new byte[_quantized.Stride];
        _scores = new float[Items];
    }

    [Benchmark(Baseline = true, Description = "fp32 row dots (TensorPrimitives)")]
    public void Fp32RowDots()
    {
        var items = _items.AsSpan();
        for (var i = 0; i < Items; i++)
        {
            _scores[i] = TensorPrimitives.Dot(items.Slice(i * Factors, Factors), _user);
        }
    }

    [Benchmark(Description = "fp32 blocked mat-vec (Vector512)")]
    public void Fp32Blocked() => Fp32MatVec.Multiply(_items, Items, Factors, _user, _scores);

    [Benchmark(Description = "int8 ScoreAll (VNNI)")]
    public void Int8Vnni() => Score(Int8Path.Vnni);

    [Benchmark(Description = "int8 ScoreAll (AVX-512BW)")]
    public void Int8Avx512() => Score(Int8Path.Avx512);

    [Benchmark(Description = "int8 ScoreAll (AVX2)")]
    public void Int8Avx2() => Score(Int8Path.Avx2);

    private void Score(Int8Path path)
    {
        var scale = Int8Quantizer.QuantizeUnsigned(_user, _query);
        Int8Kernels.ScoreAll(path, _quantized, _query, scale, _scores);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ModelBytesColumn());
    }
}
