using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Benchmarks.Linalg;

/// <summary>
/// Baseline fp32 scorer for the int8 comparison: scores = items x user, four rows per iteration sharing each
/// user load, Vector512 FMA (columns a multiple of 16). Thread-safe (static, stateless).
/// </summary>
public static class Fp32MatVec
{
    public static void Multiply(ReadOnlySpan<float> items, int rows, int columns, ReadOnlySpan<float> user, Span<float> scores)
    {
        ref var ir = ref MemoryMarshal.GetReference(items);
        ref var ur = ref MemoryMarshal.GetReference(user);
        var stride = (nuint)columns;
        var row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            var b0 = (nuint)row * stride;
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            var a2 = Vector512<float>.Zero;
            var a3 = Vector512<float>.Zero;
            for (nuint c = 0; c < stride; c += 16)
            {
                var u = Vector512.LoadUnsafe(ref ur, c);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ir, b0 + c), u, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ir, b0 + stride + c), u, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ir, b0 + 2 * stride + c), u, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ir, b0 + 3 * stride + c), u, a3);
            }
            scores[row] = Vector512.Sum(a0);
            scores[row + 1] = Vector512.Sum(a1);
            scores[row + 2] = Vector512.Sum(a2);
            scores[row + 3] = Vector512.Sum(a3);
        }
        for (; row < rows; row++)
        {
            scores[row] = System.Numerics.Tensors.TensorPrimitives.Dot(items.Slice(row * columns, columns), user);
        }
    }
}
