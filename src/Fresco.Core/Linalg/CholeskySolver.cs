using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Core.Linalg;

/// <summary>
/// Cholesky factorization A = L L^T of a small (one per user in ALS; see <see cref="Cholesky"/> for large blocked ones) symmetric positive-definite row-major matrix, in place, and
/// the matching solve. O(n^3 / 3) to factor, O(n^2) to solve. Thread-safe (static, stateless).
/// </summary>
public static class CholeskySolver
{
    /// <summary>
    /// Overwrites the lower triangle (diagonal included) of <paramref name="a"/> with L; the strict upper
    /// triangle is left as it was. Returns false when A is not (numerically) positive definite.
    /// </summary>
    public static bool TryFactor(Span<float> a, int n)
    {
        if (a.Length < n * n)
        {
            throw new ArgumentException("The span is shorter than n x n.", nameof(a));
        }
        for (var j = 0; j < n; j++)
        {
            var rowJ = a.Slice(j * n, n);
            for (var k = 0; k < j; k++)
            {
                var rowK = a.Slice(k * n, n);
                rowJ[k] = (rowJ[k] - Dot(rowJ, rowK, k)) / rowK[k];
            }
            var diagonal = rowJ[j] - Dot(rowJ, rowJ, j);
            if (!(diagonal > 0f))
            {
                return false;
            }
            rowJ[j] = MathF.Sqrt(diagonal);
        }
        return true;
    }

    /// <summary>Solves L L^T x = b in place (<paramref name="b"/> becomes x), L from <see cref="TryFactor"/>.</summary>
    public static void Solve(ReadOnlySpan<float> l, int n, Span<float> b)
    {
        if (l.Length < n * n || b.Length < n)
        {
            throw new ArgumentException("Spans are shorter than the matrix dimension.");
        }
        for (var i = 0; i < n; i++)
        {
            var row = l.Slice(i * n, n);
            b[i] = (b[i] - Dot(row, b, i)) / row[i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var row = l.Slice(i * n, n);
            b[i] /= row[i];
            TensorPrimitives.MultiplyAdd(row[..i], -b[i], b[..i], b[..i]);
        }
    }

    /// <summary>The first <paramref name="length"/> elements' dot product, inlined: most are shorter than 64 and a call per dot would dominate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int length)
    {
        if ((uint)length > (uint)x.Length || (uint)length > (uint)y.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var sum = 0f;
        var k = 0;
        if (Vector512.IsHardwareAccelerated && length >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; k + 16 <= length; k += 16)
            {
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)k), Vector512.LoadUnsafe(ref yr, (nuint)k), acc);
            }
            sum = Vector512.Sum(acc);
        }
        for (; k < length; k++)
        {
            sum += Unsafe.Add(ref xr, k) * Unsafe.Add(ref yr, k);
        }
        return sum;
    }
}
