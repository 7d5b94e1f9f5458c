using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fresco.Core.Linalg.Quantization;

/// <summary>
/// AVX2 kernels: bytes widened to 16-bit lanes, then vpmaddwd, which sums pairs of 16-bit products into int32.
/// Byte products are at most 255 * 128 in magnitude, so a pair never overflows (vpmaddubsw, which saturates
/// to int16, is avoided). Callers check <see cref="Avx2.IsSupported"/>. Thread-safe (static, stateless).
/// </summary>
internal static class Int8Avx2Kernels
{
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        var acc = Vector256<int>.Zero;
        var i = 0;
        for (; i + 16 <= a.Length; i += 16)
        {
            var wa = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref ar, (nuint)i));
            var wb = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref br, (nuint)i));
            acc += Avx2.MultiplyAddAdjacent(wa, wb);
        }
        return Vector256.Sum(acc) + Int8ScalarKernels.Dot(a[i..], b[i..]);
    }

    public static void ScoreAll(QuantizedMatrix items, ReadOnlySpan<byte> query, float queryScale, Span<float> scores)
    {
        var stride = (nuint)items.Stride;
        ref var cr = ref MemoryMarshal.GetReference(items.Codes);
        ref var qr = ref MemoryMarshal.GetReference(query);
        ref var sr = ref MemoryMarshal.GetReference(items.Scales);
        ref var rr = ref MemoryMarshal.GetReference(items.RowSums);
        ref var outr = ref MemoryMarshal.GetReference(scores);
        for (var row = 0; row < items.Rows; row++)
        {
            var b0 = (nuint)row * stride;
            var a0 = Vector256<int>.Zero;
            var a1 = Vector256<int>.Zero;
            for (nuint c = 0; c < stride; c += 32)
            {
                var q0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref qr, c));
                var q1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref qr, c + 16));
                a0 += Avx2.MultiplyAddAdjacent(q0, Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref cr, b0 + c)));
                a1 += Avx2.MultiplyAddAdjacent(q1, Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref cr, b0 + c + 16)));
            }
            var dot = Vector256.Sum(a0 + a1) - (Unsafe.Add(ref rr, row) << 7);
            Unsafe.Add(ref outr, row) = Int8ScalarKernels.Score(dot, Unsafe.Add(ref sr, row), queryScale);
        }
    }

    /// <summary>The lane sums of four int32 vectors, as one vector [sum(a), sum(b), sum(c), sum(d)].</summary>
    public static Vector128<int> SumEach(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        var ab = Avx2.HorizontalAdd(a, b);
        var cd = Avx2.HorizontalAdd(c, d);
        var all = Avx2.HorizontalAdd(ab, cd);
        return all.GetLower() + all.GetUpper();
    }
}
