using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Core.Linalg;

/// <summary>
/// The sparse inner loop of implicit ALS: for the rows F[j] of a factor matrix that one user (or item) touched,
/// target += sum_j (constant + weightScale w_j + dotScale w_j (F[j] . x)) F[j]. With factors = 64 the target
/// and x stay in four Vector512 registers for the whole row. Thread-safe (static, stateless).
/// </summary>
public static class SparseProjections
{
    public static void Accumulate(
        ReadOnlySpan<float> factors,
        int dim,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> weights,
        float constant,
        float weightScale,
        float dotScale,
        ReadOnlySpan<float> x,
        Span<float> target)
    {
        if (weights.Length != indices.Length || x.Length < dim || target.Length < dim)
        {
            throw new ArgumentException("Indices, weights, x and target do not match the dimension.");
        }
        if (dim == 64 && Vector512.IsHardwareAccelerated)
        {
            Accumulate64(factors, indices, weights, constant, weightScale, dotScale, x, target);
            return;
        }
        if (dim % 16 == 0 && Vector512.IsHardwareAccelerated)
        {
            AccumulateChunks(factors, dim, indices, weights, constant, weightScale, dotScale, x, target);
            return;
        }
        for (var j = 0; j < indices.Length; j++)
        {
            var row = factors.Slice(indices[j] * dim, dim);
            var w = weights[j];
            var coefficient = constant + weightScale * w;
            if (dotScale != 0f)
            {
                coefficient += dotScale * w * TensorPrimitives.Dot(row, x[..dim]);
            }
            TensorPrimitives.MultiplyAdd(row, coefficient, target[..dim], target[..dim]);
        }
    }

    /// <summary>Any multiple of 16: the target stays in memory (L1), with no per-row calls.</summary>
    private static void AccumulateChunks(
        ReadOnlySpan<float> factors,
        int dim,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> weights,
        float constant,
        float weightScale,
        float dotScale,
        ReadOnlySpan<float> x,
        Span<float> target)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var tr = ref MemoryMarshal.GetReference(target);
        for (var j = 0; j < indices.Length; j++)
        {
            ref var row = ref MemoryMarshal.GetReference(factors.Slice(indices[j] * dim, dim));
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            var k = 0;
            for (; k + 32 <= dim; k += 32)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)k), Vector512.LoadUnsafe(ref xr, (nuint)k), acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)(k + 16)), Vector512.LoadUnsafe(ref xr, (nuint)(k + 16)), acc1);
            }
            if (k < dim)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, (nuint)k), Vector512.LoadUnsafe(ref xr, (nuint)k), acc0);
            }
            var w = weights[j];
            var c = Vector512.Create(constant + weightScale * w + dotScale * w * Vector512.Sum(acc0 + acc1));
            for (k = 0; k < dim; k += 16)
            {
                Vector512.FusedMultiplyAdd(c, Vector512.LoadUnsafe(ref row, (nuint)k), Vector512.LoadUnsafe(ref tr, (nuint)k)).StoreUnsafe(ref tr, (nuint)k);
            }
        }
    }

    private static void Accumulate64(
        ReadOnlySpan<float> factors,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> weights,
        float constant,
        float weightScale,
        float dotScale,
        ReadOnlySpan<float> x,
        Span<float> target)
    {
        ref var f = ref MemoryMarshal.GetReference(factors);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var tr = ref MemoryMarshal.GetReference(target);
        var x0 = Vector512.LoadUnsafe(ref xr);
        var x1 = Vector512.LoadUnsafe(ref xr, 16);
        var x2 = Vector512.LoadUnsafe(ref xr, 32);
        var x3 = Vector512.LoadUnsafe(ref xr, 48);
        var t0 = Vector512.LoadUnsafe(ref tr);
        var t1 = Vector512.LoadUnsafe(ref tr, 16);
        var t2 = Vector512.LoadUnsafe(ref tr, 32);
        var t3 = Vector512.LoadUnsafe(ref tr, 48);
        var length = (long)factors.Length;
        for (var j = 0; j < indices.Length; j++)
        {
            var offset = (long)indices[j] * 64;
            if ((ulong)offset > (ulong)(length - 64))
            {
                throw new ArgumentOutOfRangeException(nameof(indices), "An index is outside the factor matrix.");
            }
            ref var row = ref Unsafe.Add(ref f, (nint)offset);
            var y0 = Vector512.LoadUnsafe(ref row);
            var y1 = Vector512.LoadUnsafe(ref row, 16);
            var y2 = Vector512.LoadUnsafe(ref row, 32);
            var y3 = Vector512.LoadUnsafe(ref row, 48);
            var w = weights[j];
            var dot = Vector512.Sum(Vector512.FusedMultiplyAdd(y0, x0, y1 * x1) + Vector512.FusedMultiplyAdd(y2, x2, y3 * x3));
            var c = Vector512.Create(constant + weightScale * w + dotScale * w * dot);
            t0 = Vector512.FusedMultiplyAdd(c, y0, t0);
            t1 = Vector512.FusedMultiplyAdd(c, y1, t1);
            t2 = Vector512.FusedMultiplyAdd(c, y2, t2);
            t3 = Vector512.FusedMultiplyAdd(c, y3, t3);
        }
        t0.StoreUnsafe(ref tr);
        t1.StoreUnsafe(ref tr, 16);
        t2.StoreUnsafe(ref tr, 32);
        t3.StoreUnsafe(ref tr, 48);
    }
}
