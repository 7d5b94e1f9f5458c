using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fresco.Core.Linalg.Quantization;

/// <summary>
/// AVX-VNNI kernels: vpdpbusd multiplies unsigned by signed bytes and adds each group of four products into an
/// int32 lane, without saturation. Callers check <see cref="AvxVnni.IsSupported"/>. Thread-safe (static, stateless).
/// </summary>
internal static class Int8VnniKernels
{
    /// <summary>Signed x signed via the unsigned form: sum((a + 128) * b) - 128 * sum(b); a ^ 0x80 is a + 128 as a byte.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        ref var ar = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(a));
        ref var br = ref MemoryMarshal.GetReference(b);
        var flip = Vector256.Create((byte)0x80);
        var ones = Vector256.Create((byte)1);
        var products = Vector256<int>.Zero;
        var sums = Vector256<int>.Zero;
        var i = 0;
        for (; i + 32 <= a.Length; i += 32)
        {
            var vb = Vector256.LoadUnsafe(ref br, (nuint)i);
            products = AvxVnni.MultiplyWideningAndAdd(products, Vector256.LoadUnsafe(ref ar, (nuint)i) ^ flip, vb);
            sums = AvxVnni.MultiplyWideningAndAdd(sums, ones, vb);
        }
        // Wrapping int32 arithmetic: the difference is exact whenever the true dot product fits in an int.
        var result = unchecked(Vector256.Sum(products) - 128 * Vector256.Sum(sums));
        return result + Int8ScalarKernels.Dot(a[i..], b[i..]);
    }

    /// <summary>Eight rows per iteration sharing each query load; the stride is a multiple of 64, so no column tail.</summary>
    public static void ScoreAll(QuantizedMatrix items, ReadOnlySpan<byte> query, float queryScale, Span<float> scores)
    {
        var stride = (nuint)items.Stride;
        var rows = items.Rows;
        ref var cr = ref MemoryMarshal.GetReference(items.Codes);
        ref var qr = ref MemoryMarshal.GetReference(query);
        ref var sr = ref MemoryMarshal.GetReference(items.Scales);
        ref var rr = ref MemoryMarshal.GetReference(items.RowSums);
        ref var outr = ref MemoryMarshal.GetReference(scores);
        var queryScales = Vector256.Create(queryScale);
        var row = 0;
        for (; row + 8 <= rows; row += 8)
        {
            var b0 = (nuint)row * stride;
            var lower = Dots4(ref cr, ref qr, b0, stride);
            var upper = Dots4(ref cr, ref qr, b0 + 4 * stride, stride);
            var dots = Vector256.Create(lower, upper) - (Vector256.LoadUnsafe(ref rr, (nuint)row) << 7);
            var result = Vector256.ConvertToSingle(dots) * Vector256.LoadUnsafe(ref sr, (nuint)row) * queryScales;
            result.StoreUnsafe(ref outr, (nuint)row);
        }
        for (; row < rows; row++)
        {
            var b0 = (nuint)row * stride;
            var a0 = Vector256<int>.Zero;
            for (nuint c = 0; c < stride; c += 32)
            {
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.LoadUnsafe(ref qr, c), Vector256.LoadUnsafe(ref cr, b0 + c));
            }
            var dot = Vector256.Sum(a0) - (Unsafe.Add(ref rr, row) << 7);
            Unsafe.Add(ref outr, row) = Int8ScalarKernels.Score(dot, Unsafe.Add(ref sr, row), queryScale);
        }
    }

    /// <summary>The int32 dot products of the query with four consecutive rows starting at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Dots4(ref sbyte codes, ref byte query, nuint offset, nuint stride)
    {
        var a0 = Vector256<int>.Zero;
        var a1 = Vector256<int>.Zero;
        var a2 = Vector256<int>.Zero;
        var a3 = Vector256<int>.Zero;
        for (nuint c = 0; c < stride; c += 32)
        {
            var q = Vector256.LoadUnsafe(ref query, c);
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, q, Vector256.LoadUnsafe(ref codes, offset + c));
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, q, Vector256.LoadUnsafe(ref codes, offset + stride + c));
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, q, Vector256.LoadUnsafe(ref codes, offset + 2 * stride + c));
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, q, Vector256.LoadUnsafe(ref codes, offset + 3 * stride + c));
        }
        return Int8Avx2Kernels.SumEach(a0, a1, a2, a3);
    }
}
