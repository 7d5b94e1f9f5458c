using System.Runtime.Intrinsics.X86;

namespace Fresco.Core.Linalg.Quantization;

/// <summary>
/// Int8 dot products and the quantized scoring loop, dispatched to the fastest supported
/// <see cref="Int8Path"/>: AVX-VNNI, then AVX-512BW, then AVX2, then scalar. .NET 10 exposes vpdpbusd only on
/// 256-bit registers (AvxVnni; the 512-bit form would need Avx10v1), so the VNNI path is 256-bit. No path
/// uses pmaddubsw, which saturates to int16. Thread-safe (static, stateless); no allocation.
/// </summary>
public static class Int8Kernels
{
    /// <summary>The path the public entry points use on this machine.</summary>
    public static Int8Path BestPath { get; } =
        AvxVnni.IsSupported ? Int8Path.Vnni
        : Avx512BW.IsSupported ? Int8Path.Avx512
        : Avx2.IsSupported ? Int8Path.Avx2
        : Int8Path.Scalar;

    /// <summary>Whether <paramref name="path"/> can run on this machine.</summary>
    public static bool IsSupported(Int8Path path) => path switch
    {
        Int8Path.Vnni => AvxVnni.IsSupported,
        Int8Path.Avx512 => Avx512BW.IsSupported,
        Int8Path.Avx2 => Avx2.IsSupported,
        _ => true,
    };

    /// <summary>Exact integer dot product of two equal-length signed byte vectors (exact for lengths up to 131072).</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b) => Dot(BestPath, a, b);

    /// <summary>
    /// scores[i] = Scale(i) * queryScale * sum_j (query[j] - 128) * codes(i)[j] for every item row, where
    /// <paramref name="query"/> holds unsigned codes from <see cref="Int8Quantizer.QuantizeUnsigned"/> (at least
    /// <see cref="QuantizedMatrix.Stride"/> bytes). O(rows * stride), single-threaded.
    /// </summary>
    public static void ScoreAll(QuantizedMatrix items, ReadOnlySpan<byte> query, float queryScale, Span<float> scores) =>
        ScoreAll(BestPath, items, query, queryScale, scores);

    public static int Dot(Int8Path path, ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Vectors differ in length.", nameof(b));
        }
        return path switch
        {
            Int8Path.Vnni => Int8VnniKernels.Dot(a, b),
            Int8Path.Avx512 => Int8Avx512Kernels.Dot(a, b),
            Int8Path.Avx2 => Int8Avx2Kernels.Dot(a, b),
            _ => Int8ScalarKernels.Dot(a, b),
        };
    }

    public static void ScoreAll(Int8Path path, QuantizedMatrix items, ReadOnlySpan<byte> query, float queryScale, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (query.Length < items.Stride || scores.Length < items.Rows)
        {
            throw new ArgumentException("Query is shorter than the matrix stride or scores shorter than its rows.");
        }
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"{path} is not supported on this machine.");
        }
        switch (path)
        {
            case Int8Path.Vnni:
                Int8VnniKernels.ScoreAll(items, query, queryScale, scores);
                break;
            case Int8Path.Avx512:
                Int8Avx512Kernels.ScoreAll(items, query, queryScale, scores);
                break;
            case Int8Path.Avx2:
                Int8Avx2Kernels.ScoreAll(items, query, queryScale, scores);
                break;
            default:
                Int8ScalarKernels.ScoreAll(items, query, queryScale, scores);
                break;
        }
    }
}
