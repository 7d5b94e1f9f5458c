using System.Numerics.Tensors;

namespace Fresco.Core.Linalg;

/// <summary>
/// Cholesky factorization and inverse of symmetric positive definite matrices, row-major n x n, in single
/// precision with the heavy lifting in <see cref="Gemm"/>. Blocks of 256: the small diagonal blocks are factored
/// and inverted directly (SIMD row operations), everything else (panel solves, trailing updates, the triangular inverse
/// and L^-T L^-1) is a GEMM or a symmetric rank-k update, so the whole inverse runs at GEMM speed and costs about
/// n^3 flops. Single precision suffices for the regularized Gram matrices it serves (EASE): their condition
/// number is at most (largest eigenvalue + lambda) / lambda, and the tests bound |A inv(A) - I|. Thread-safe
/// (static); concurrent calls must use different matrices.
/// </summary>
public static class Cholesky
{
    private const int Block = 256;

    /// <summary>
    /// Overwrites the lower triangle of <paramref name="a"/> with L where A = L L^T, zeroing the upper triangle.
    /// Returns false when A is not (numerically) positive definite. <paramref name="cancellationToken"/> is checked
    /// once per block of 256 columns (a large catalog's factorization takes minutes; a budgeted search stops it).
    /// </summary>
    public static bool Factor(Span<float> a, int n, int threads = 0, CancellationToken cancellationToken = default)
    {
        CheckSquare(a, n);
        var inverse = new float[Block * Block];
        var panel = new float[(long)n * Block > Array.MaxLength ? throw new ArgumentOutOfRangeException(nameof(n)) : n * Block];
        for (var k0 = 0; k0 < n; k0 += Block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var kb = Math.Min(Block, n - k0);
            if (!FactorBlock(a, n, k0, kb))
            {
                return false;
            }
            var below = n - k0 - kb;
            if (below == 0)
            {
                break;
            }
            // L21 = A21 L11^-T, as a GEMM with the small explicit inverse of L11.
            InvertLowerBlock(a, n, k0, kb, inverse);
            var a21 = a[((k0 + kb) * n + k0)..];
            for (var r = 0; r < below; r++)
            {
                a21.Slice(r * n, kb).CopyTo(panel.AsSpan(r * kb, kb));
            }
            Gemm.Multiply(false, true, below, kb, kb, 1f, panel, kb, inverse, kb, 0f, a21, n, threads);
            var a22 = a[((k0 + kb) * n + k0 + kb)..];
            Gemm.SymmetricRankUpdate(false, below, kb, -1f, a21, n, 1f, a22, n, threads);
        }
        for (var i = 0; i < n; i++)
        {
            a.Slice(i * n + i + 1, n - i - 1).Clear();
        }
        return true;
    }

    /// <summary>
    /// Overwrites the SPD matrix <paramref name="a"/> with its inverse (full, symmetric) as L^-T L^-1. Needs an
    /// n x n workspace besides <paramref name="a"/>. Returns false when A is not positive definite (a is then
    /// left partly factored). <paramref name="cancellationToken"/> is checked once per block, as in <see cref="Factor"/>.
    /// </summary>
    public static bool InvertSpd(Span<float> a, int n, int threads = 0, CancellationToken cancellationToken = default)
    {
        if (!Factor(a, n, threads, cancellationToken))
        {
            return false;
        }
        var x = new float[(long)n * n > Array.MaxLength ? throw new ArgumentOutOfRangeException(nameof(n)) : n * n];
        InvertLower(a, x, n, threads, cancellationToken);
        a.Clear();
        for (var p0 = 0; p0 < n; p0 += Block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pb = Math.Min(Block, n - p0);
            var end = p0 + pb;
            // X is lower triangular: block row p of X only touches P[0..end, 0..end].
            Gemm.SymmetricRankUpdate(true, end, pb, 1f, x.AsSpan(p0 * n), n, 1f, a, n, threads);
        }
        MirrorLower(a, n);
        return true;
    }

    /// <summary>Copies the lower triangle over the upper one, in 64 x 64 tiles so that the strided reads stay in cache.</summary>
    private static void MirrorLower(Span<float> a, int n)
    {
        const int Tile = 64;
        for (var i0 = 0; i0 < n; i0 += Tile)
        {
            for (var j0 = i0; j0 < n; j0 += Tile)
            {
                var i1 = Math.Min(n, i0 + Tile);
                var j1 = Math.Min(n, j0 + Tile);
                for (var i = i0; i < i1; i++)
                {
                    for (var j = Math.Max(j0, i + 1); j < j1; j++)
                    {
                        a[i * n + j] = a[j * n + i];
                    }
                }
            }
        }
    }

    /// <summary>Writes X = L^-1 (lower triangular) into <paramref name="x"/>, right-looking by blocks of rows.</summary>
    internal static void InvertLower(ReadOnlySpan<float> l, Span<float> x, int n, int threads, CancellationToken cancellationToken = default)
    {
        x.Clear();
        for (var i = 0; i < n; i++)
        {
            x[i * n + i] = 1f;
        }
        var inverse = new float[Block * Block];
        var rows = new float[Block * (long)n > Array.MaxLength ? throw new ArgumentOutOfRangeException(nameof(n)) : Block * n];
        for (var i0 = 0; i0 < n; i0 += Block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ib = Math.Min(Block, n - i0);
            var i1 = i0 + ib;
            InvertLowerBlock(l, n, i0, ib, inverse);
            for (var r = 0; r < ib; r++)
            {
                x.Slice((i0 + r) * n, i1).CopyTo(rows.AsSpan(r * i1, i1));
            }
            Gemm.Multiply(false, false, ib, i1, ib, 1f, inverse, ib, rows, i1, 0f, x[(i0 * n)..], n, threads);
            if (i1 < n)
            {
                Gemm.Multiply(false, false, n - i1, i1, ib, -1f, l[(i1 * n + i0)..], n, x[(i0 * n)..], n, 1f, x[(i1 * n)..], n, threads);
            }
        }
    }

    /// <summary>Unblocked Cholesky of the diagonal block at (k0, k0); row dot products through TensorPrimitives.</summary>
    private static bool FactorBlock(Span<float> a, int n, int k0, int kb)
    {
        for (var j = 0; j < kb; j++)
        {
            var rowJ = a.Slice((k0 + j) * n + k0, kb);
            var d = rowJ[j] - TensorPrimitives.SumOfSquares(rowJ[..j]);
            if (!(d > 0))
            {
                return false;
            }
            var pivot = MathF.Sqrt(d);
            rowJ[j] = pivot;
            for (var i = j + 1; i < kb; i++)
            {
                var rowI = a.Slice((k0 + i) * n + k0, kb);
                rowI[j] = (rowI[j] - TensorPrimitives.Dot(rowI[..j], rowJ[..j])) / pivot;
            }
        }
        return true;
    }

    /// <summary>
    /// Writes the inverse of the lower-triangular diagonal block at (k0, k0) into <paramref name="inverse"/> (kb x kb),
    /// row by row: X_i = (e_i - sum over p &lt; i of L_ip X_p) / L_ii.
    /// </summary>
    private static void InvertLowerBlock(ReadOnlySpan<float> l, int n, int k0, int kb, Span<float> inverse)
    {
        inverse[..(kb * kb)].Clear();
        for (var i = 0; i < kb; i++)
        {
            var row = l.Slice((k0 + i) * n + k0, kb);
            var target = inverse.Slice(i * kb, i + 1);
            target[i] = 1f;
            for (var p = 0; p < i; p++)
            {
                TensorPrimitives.MultiplyAdd(inverse.Slice(p * kb, p + 1), -row[p], target[..(p + 1)], target[..(p + 1)]);
            }
            TensorPrimitives.Divide(target, row[i], target);
        }
    }

    private static void CheckSquare(ReadOnlySpan<float> a, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if ((long)n * n > a.Length)
        {
            throw new ArgumentException($"The matrix holds {a.Length} values, fewer than {n} x {n}.", nameof(a));
        }
    }
}
