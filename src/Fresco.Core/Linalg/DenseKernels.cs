using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Core.Linalg;

/// <summary>
/// Kernels on small dense row-major matrices (factor-sized, n x n with n ~ 8..256): matrix-vector products,
/// rank-one updates, Gram matrices. Vector512 where the hardware has it, <see cref="TensorPrimitives"/>
/// otherwise. Thread-safe (static, stateless).
/// </summary>
public static class DenseKernels
{
    /// <summary>y = A^T x for a row-major n x n matrix A (equal to A x when A is symmetric, as a Gram matrix is). O(n^2).</summary>
    public static void MultiplyTransposed(ReadOnlySpan<float> a, int n, ReadOnlySpan<float> x, Span<float> y)
    {
        if (a.Length < n * n || x.Length < n || y.Length < n)
        {
            throw new ArgumentException("Spans are shorter than the matrix dimension.");
        }
        if (!Vector512.IsHardwareAccelerated || n < 16)
        {
            y[..n].Clear();
            for (var k = 0; k < n; k++)
            {
                TensorPrimitives.MultiplyAdd(a.Slice(k * n, n), x[k], y[..n], y[..n]);
            }
            return;
        }
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var j = 0;
        for (; j + 16 <= n; j += 16)
        {
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            var acc2 = Vector512<float>.Zero;
            var acc3 = Vector512<float>.Zero;
            var k = 0;
            for (; k + 4 <= n; k += 4)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, (nuint)(k * n + j)), Vector512.Create(Unsafe.Add(ref xr, k)), acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, (nuint)((k + 1) * n + j)), Vector512.Create(Unsafe.Add(ref xr, k + 1)), acc1);
                acc2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, (nuint)((k + 2) * n + j)), Vector512.Create(Unsafe.Add(ref xr, k + 2)), acc2);
                acc3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, (nuint)((k + 3) * n + j)), Vector512.Create(Unsafe.Add(ref xr, k + 3)), acc3);
            }
            for (; k < n; k++)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, (nuint)(k * n + j)), Vector512.Create(Unsafe.Add(ref xr, k)), acc0);
            }
            (acc0 + acc1 + (acc2 + acc3)).StoreUnsafe(ref yr, (nuint)j);
        }
        for (; j < n; j++)
        {
            var sum = 0f;
            for (var k = 0; k < n; k++)
            {
                sum += a[k * n + j] * x[k];
            }
            y[j] = sum;
        }
    }

    /// <summary>A += scale * y y^T for a row-major n x n matrix A, n = y.Length. O(n^2).</summary>
    public static void AddOuter(ReadOnlySpan<float> y, float scale, Span<float> a)
    {
        var n = y.Length;
        for (var i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            TensorPrimitives.MultiplyAdd(y, scale * y[i], row, row);
        }
    }

    /// <summary>
    /// result = Y^T Y (n x n) for the first <paramref name="rowCount"/> rows of row-major <paramref name="rows"/>
    /// (row length n). Rows are taken four at a time so each result row is loaded once per four rows. O(rows n^2).
    /// </summary>
    public static void Gram(ReadOnlySpan<float> rows, int rowCount, int n, Span<float> result)
    {
        if (result.Length < n * n)
        {
            throw new ArgumentException("The result is shorter than n x n.", nameof(result));
        }
        result[..(n * n)].Clear();
        AddGram(rows, rowCount, n, result);
    }

    /// <summary>result += Y^T Y: <see cref="Gram(ReadOnlySpan{float}, int, int, Span{float})"/> without clearing first.</summary>
    public static void AddGram(ReadOnlySpan<float> rows, int rowCount, int n, Span<float> result)
    {
        if (rows.Length < (long)rowCount * n || result.Length < n * n)
        {
            throw new ArgumentException("Spans are shorter than the matrix dimensions.");
        }
        var output = result[..(n * n)];
        var r = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            for (; r + 4 <= rowCount; r += 4)
            {
                GramBlock4(rows.Slice(r * n, 4 * n), n, output);
            }
        }
        for (; r < rowCount; r++)
        {
            AddOuter(rows.Slice(r * n, n), 1f, output);
        }
    }

    /// <summary>
    /// <see cref="Gram(ReadOnlySpan{float}, int, int, Span{float})"/> split over <paramref name="threads"/>
    /// contiguous row ranges whose partial sums are added in a fixed order: the result does not depend on
    /// scheduling. Extra memory O(threads n^2).
    /// </summary>
    public static void Gram(float[] rows, int rowCount, int n, Span<float> result, int threads)
    {
        var parts = Math.Clamp(Math.Min(threads, rowCount / 1024), 1, 64);
        if (parts == 1)
        {
            Gram(rows, rowCount, n, result);
            return;
        }
        var partials = new float[parts][];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
        {
            var start = (int)((long)rowCount * p / parts);
            var end = (int)((long)rowCount * (p + 1) / parts);
            partials[p] = new float[n * n];
            Gram(rows.AsSpan(start * n, (end - start) * n), end - start, n, partials[p]);
        });
        partials[0].CopyTo(result);
        for (var p = 1; p < parts; p++)
        {
            TensorPrimitives.Add(result[..(n * n)], partials[p], result[..(n * n)]);
        }
    }

    private static void GramBlock4(ReadOnlySpan<float> block, int n, Span<float> output)
    {
        ref var b = ref MemoryMarshal.GetReference(block);
        ref var o = ref MemoryMarshal.GetReference(output);
        for (var i = 0; i < n; i++)
        {
            var c0 = Vector512.Create(Unsafe.Add(ref b, i));
            var c1 = Vector512.Create(Unsafe.Add(ref b, n + i));
            var c2 = Vector512.Create(Unsafe.Add(ref b, 2 * n + i));
            var c3 = Vector512.Create(Unsafe.Add(ref b, 3 * n + i));
            var j = 0;
            for (; j + 16 <= n; j += 16)
            {
                var offset = (nuint)(i * n + j);
                var acc = Vector512.LoadUnsafe(ref o, offset);
                acc = Vector512.FusedMultiplyAdd(c0, Vector512.LoadUnsafe(ref b, (nuint)j), acc);
                acc = Vector512.FusedMultiplyAdd(c1, Vector512.LoadUnsafe(ref b, (nuint)(n + j)), acc);
                acc = Vector512.FusedMultiplyAdd(c2, Vector512.LoadUnsafe(ref b, (nuint)(2 * n + j)), acc);
                acc = Vector512.FusedMultiplyAdd(c3, Vector512.LoadUnsafe(ref b, (nuint)(3 * n + j)), acc);
                acc.StoreUnsafe(ref o, offset);
            }
            for (; j < n; j++)
            {
                Unsafe.Add(ref o, i * n + j) += Unsafe.Add(ref b, i) * Unsafe.Add(ref b, j)
                    + Unsafe.Add(ref b, n + i) * Unsafe.Add(ref b, n + j)
                    + Unsafe.Add(ref b, 2 * n + i) * Unsafe.Add(ref b, 2 * n + j)
                    + Unsafe.Add(ref b, 3 * n + i) * Unsafe.Add(ref b, 3 * n + j);
            }
        }
    }
}
