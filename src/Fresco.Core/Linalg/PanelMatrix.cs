using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Core.Linalg;

/// <summary>
/// A row-major matrix (rows x dim, e.g. item factors) repacked for blocked products with many vectors: panels
/// of 16 rows stored dimension by dimension (row r, column k at <c>(r / 16) * 16 * dim + k * 16 + r % 16</c>),
/// the last panel zero-padded. <see cref="Multiply"/> scores four vectors against two panels at a time with
/// eight Vector512 accumulators, no horizontal sums. Immutable after construction; thread-safe.
/// </summary>
public sealed class PanelMatrix
{
    public const int PanelRows = 16;

    private readonly float[] _panels;

    public PanelMatrix(ReadOnlySpan<float> rows, int rowCount, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (rows.Length < (long)rowCount * dim)
        {
            throw new ArgumentException("The span is shorter than rows x dim.", nameof(rows));
        }
        Rows = rowCount;
        Dim = dim;
        PanelCount = (rowCount + PanelRows - 1) / PanelRows;
        _panels = new float[(long)PanelCount * PanelRows * dim];
        for (var r = 0; r < rowCount; r++)
        {
            var baseOffset = (long)(r / PanelRows) * PanelRows * dim + r % PanelRows;
            for (var k = 0; k < dim; k++)
            {
                _panels[baseOffset + (long)k * PanelRows] = rows[r * dim + k];
            }
        }
    }

    public int Rows { get; }

    public int Dim { get; }

    public int PanelCount { get; }

    /// <summary>
    /// <c>result[u * resultStride + r] = vectors[u] . row r</c> for the <paramref name="count"/> vectors of length
    /// <see cref="Dim"/> in <paramref name="vectors"/> and every row r. O(count x rows x dim).
    /// </summary>
    public void Multiply(ReadOnlySpan<float> vectors, int count, Span<float> result, int resultStride)
    {
        if (count <= 0)
        {
            return;
        }
        if (vectors.Length < count * Dim || resultStride < Rows || result.Length < (long)(count - 1) * resultStride + Rows)
        {
            throw new ArgumentException("Vectors or result are shorter than the product needs.");
        }
        if (!Vector512.IsHardwareAccelerated)
        {
            MultiplyScalar(vectors, count, result, resultStride);
            return;
        }
        ref var v = ref MemoryMarshal.GetReference(vectors);
        ref var p = ref MemoryMarshal.GetArrayDataReference(_panels);
        ref var o = ref MemoryMarshal.GetReference(result);
        var panelSize = PanelRows * Dim;
        Span<float> tile = stackalloc float[4 * 2 * PanelRows];
        for (var panel = 0; panel < PanelCount; panel += 2)
        {
            ref var pa = ref Unsafe.Add(ref p, (nint)panel * panelSize);
            ref var pb = ref panel + 1 < PanelCount ? ref Unsafe.Add(ref pa, panelSize) : ref pa;
            var row0 = panel * PanelRows;
            var full = row0 + 2 * PanelRows <= Rows;
            var u = 0;
            for (; u + 4 <= count; u += 4)
            {
                ref var vu = ref Unsafe.Add(ref v, u * Dim);
                if (full)
                {
                    Kernel4x2(ref vu, Dim, ref pa, ref pb, ref Unsafe.Add(ref o, (nint)u * resultStride + row0), resultStride);
                }
                else
                {
                    Kernel4x2(ref vu, Dim, ref pa, ref pb, ref MemoryMarshal.GetReference(tile), 2 * PanelRows);
                    CopyTile(tile, 4, result[(u * resultStride)..], resultStride, row0, Rows);
                }
            }
            for (; u < count; u++)
            {
                ref var vu = ref Unsafe.Add(ref v, u * Dim);
                if (full)
                {
                    Kernel1x2(ref vu, Dim, ref pa, ref pb, ref Unsafe.Add(ref o, (nint)u * resultStride + row0));
                }
                else
                {
                    Kernel1x2(ref vu, Dim, ref pa, ref pb, ref MemoryMarshal.GetReference(tile));
                    CopyTile(tile, 1, result[(u * resultStride)..], resultStride, row0, Rows);
                }
            }
        }
    }

    /// <summary>The same product computed element by element; the reference for tests and non-AVX-512 hardware.</summary>
    internal void MultiplyScalar(ReadOnlySpan<float> vectors, int count, Span<float> result, int resultStride)
    {
        for (var u = 0; u < count; u++)
        {
            for (var r = 0; r < Rows; r++)
            {
                var baseOffset = (long)(r / PanelRows) * PanelRows * Dim + r % PanelRows;
                var sum = 0f;
                for (var k = 0; k < Dim; k++)
                {
                    sum += vectors[u * Dim + k] * _panels[baseOffset + (long)k * PanelRows];
                }
                result[u * resultStride + r] = sum;
            }
        }
    }

    /// <summary>Four vectors times two panels: 32 results per vector at <c>o + u * stride</c>. No calls, so the eight accumulators stay in registers.</summary>
    private static void Kernel4x2(ref float v, int dim, ref float pa, ref float pb, ref float o, int stride)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        ref var v1 = ref Unsafe.Add(ref v, dim);
        ref var v2 = ref Unsafe.Add(ref v, 2 * dim);
        ref var v3 = ref Unsafe.Add(ref v, 3 * dim);
        for (nint k = 0; k < dim; k++)
        {
            var pk = Vector512.LoadUnsafe(ref pa, (nuint)(k * PanelRows));
            var qk = Vector512.LoadUnsafe(ref pb, (nuint)(k * PanelRows));
            var s0 = Vector512.Create(Unsafe.Add(ref v, k));
            var s1 = Vector512.Create(Unsafe.Add(ref v1, k));
            var s2 = Vector512.Create(Unsafe.Add(ref v2, k));
            var s3 = Vector512.Create(Unsafe.Add(ref v3, k));
            a0 = Vector512.FusedMultiplyAdd(pk, s0, a0);
            b0 = Vector512.FusedMultiplyAdd(qk, s0, b0);
            a1 = Vector512.FusedMultiplyAdd(pk, s1, a1);
            b1 = Vector512.FusedMultiplyAdd(qk, s1, b1);
            a2 = Vector512.FusedMultiplyAdd(pk, s2, a2);
            b2 = Vector512.FusedMultiplyAdd(qk, s2, b2);
            a3 = Vector512.FusedMultiplyAdd(pk, s3, a3);
            b3 = Vector512.FusedMultiplyAdd(qk, s3, b3);
        }
        a0.StoreUnsafe(ref o);
        b0.StoreUnsafe(ref o, PanelRows);
        a1.StoreUnsafe(ref o, (nuint)stride);
        b1.StoreUnsafe(ref o, (nuint)(stride + PanelRows));
        a2.StoreUnsafe(ref o, (nuint)(2 * stride));
        b2.StoreUnsafe(ref o, (nuint)(2 * stride + PanelRows));
        a3.StoreUnsafe(ref o, (nuint)(3 * stride));
        b3.StoreUnsafe(ref o, (nuint)(3 * stride + PanelRows));
    }

    /// <summary>One vector times two panels (32 results at <paramref name="o"/>); even and odd k in separate accumulators for four FMA chains.</summary>
    private static void Kernel1x2(ref float v, int dim, ref float pa, ref float pb, ref float o)
    {
        Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default;
        nint k = 0;
        for (; k + 2 <= dim; k += 2)
        {
            var s0 = Vector512.Create(Unsafe.Add(ref v, k));
            var s1 = Vector512.Create(Unsafe.Add(ref v, k + 1));
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)(k * PanelRows)), s0, a0);
            b0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pb, (nuint)(k * PanelRows)), s0, b0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)((k + 1) * PanelRows)), s1, a1);
            b1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pb, (nuint)((k + 1) * PanelRows)), s1, b1);
        }
        if (k < dim)
        {
            var s0 = Vector512.Create(Unsafe.Add(ref v, k));
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)(k * PanelRows)), s0, a0);
            b0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pb, (nuint)(k * PanelRows)), s0, b0);
        }
        (a0 + a1).StoreUnsafe(ref o);
        (b0 + b1).StoreUnsafe(ref o, PanelRows);
    }

    /// <summary>Copies the valid columns of a (vectors x 32) tile to rows row0.. of the result (the last, partial panels).</summary>
    private static void CopyTile(ReadOnlySpan<float> tile, int vectors, Span<float> result, int stride, int row0, int rows)
    {
        var valid = Math.Min(2 * PanelRows, rows - row0);
        for (var u = 0; u < vectors; u++)
        {
            tile.Slice(u * 2 * PanelRows, valid).CopyTo(result.Slice(u * stride + row0, valid));
        }
    }
}
