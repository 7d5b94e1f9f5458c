using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fresco.Core.Linalg.Quantization;

/// <summary>
/// AVX-512BW kernels: 32 bytes widened to 16-bit lanes of a 512-bit register, then vpmaddwd (see
/// <see cref="Int8Avx2Kernels"/> for why it cannot overflow). Callers check <see cref="Avx512BW.IsSupported"/>.
/// Thread-safe (static, stateless).
/// </summary>
internal static class Int8Avx512Kernels
{
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        var acc = Vector512<int>.Zero;
        var i = 0;
        for (; i + 32 <= a.Length; i += 32)
        {
            var wa = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref ar, (nuint)i));
            var wb = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref br, (nuint)i));
            acc += Avx512BW.MultiplyAddAdjacent(wa, wb);
        }
        return Vector512.Sum(acc) + Int8ScalarKernels.Dot(a[i..], b[i..]);
    }

    /// <summary>Four rows per iteration sharing each widened query chunk; the stride is a multiple of 64.</summary>
    public static void ScoreAll(QuantizedMatrix items, ReadOnlySpan<byte> query, float queryScale, Span<float> scores)
    {
        var stride = (nuint)items.Stride;
        var rows = items.Rows;
        ref var cr = ref MemoryMarshal.GetReference(items.Codes);
        ref var qr = ref MemoryMarshal.GetReference(query);
        ref var sr = ref MemoryMarshal.GetReference(items.Scales);
        ref var rr = ref MemoryMarshal.GetReference(items.RowSums);
        ref var outr = ref MemoryMarshal.GetReference(scores);
        var queryScales = Vector128.Create(queryScale);
        var row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            var b0 = (nuint)row * stride;
            var b1 = b0 + stride;
            var b2 = b1 + stride;
            var b3 = b2 + stride;
            var a0 = Vector512<int>.Zero;
            var a1 = Vector512<int>.Zero;
            var a2 = Vector512<int>.Zero;
            var a3 = Vector512<int>.Zero;
            for (nuint c = 0; c < stride; c += 32)
            {
                var q = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref qr, c));
                a0 += Avx512BW.MultiplyAddAdjacent(q, Widen(ref cr, b0 + c));
                a1 += Avx512BW.MultiplyAddAdjacent(q, Widen(ref cr, b1 + c));
                a2 += Avx512BW.MultiplyAddAdjacent(q, Widen(ref cr, b2 + c));
                a3 += Avx512BW.MultiplyAddAdjacent(q, Widen(ref cr, b3 + c));
            }
            var sums = Int8Avx2Kernels.SumEach(Half(a0), Half(a1), Half(a2), Half(a3));
            var dots = sums - (Vector128.LoadUnsafe(ref rr, (nuint)row) << 7);
            var result = Vector128.ConvertToSingle(dots) * Vector128.LoadUnsafe(ref sr, (nuint)row) * queryScales;
            result.StoreUnsafe(ref outr, (nuint)row);
        }
        for (; row < rows; row++)
        {
            var b0 = (nuint)row * stride;
            var a0 = Vector512<int>.Zero;
            for (nuint c = 0; c < stride; c += 32)
            {
                a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref qr, c)), Widen(ref cr, b0 + c));
            }
            var dot = Vector512.Sum(a0) - (Unsafe.Add(ref rr, row) << 7);
            Unsafe.Add(ref outr, row) = Int8ScalarKernels.Score(dot, Unsafe.Add(ref sr, row), queryScale);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Widen(ref sbyte codes, nuint offset) =>
        Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Half(Vector512<int> value) => value.GetLower() + value.GetUpper();
}
