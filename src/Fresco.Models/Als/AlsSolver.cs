using System.Numerics.Tensors;
using Fresco.Core.Linalg;

namespace Fresco.Models.Als;

/// <summary>
/// One row of implicit ALS: given the other side's factors Y and <c>G = Y^T Y + reg I</c>, solve
/// <c>(G + sum_j alpha w_j y_j y_j^T) x = sum_j (1 + alpha w_j) y_j</c> over the row's interactions j.
/// Thread-safe (static); scratch is the caller's.
/// </summary>
internal static class AlsSolver
{
    private const int ExactBlock = 32;

    /// <summary>Scratch floats that <see cref="SolveExact"/> needs.</summary>
    public static int ExactScratch(int dim) => dim * dim + ExactBlock * dim;


    /// <summary>
    /// A few conjugate-gradient steps warm-started from <paramref name="x"/> (Takács, Pilászy, Tikk 2011); the
    /// residual is computed sparsely from G. <paramref name="scratch"/> holds at least 3 x dim floats.
    /// </summary>
    public static void SolveCg(
        ReadOnlySpan<float> other,
        int dim,
        ReadOnlySpan<float> gram,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> weights,
        float alpha,
        int steps,
        Span<float> x,
        Span<float> scratch)
    {
        var r = scratch[..dim];
        var p = scratch.Slice(dim, dim);
        var ap = scratch.Slice(2 * dim, dim);
        DenseKernels.MultiplyTransposed(gram, dim, x, r);
        TensorPrimitives.Negate(r, r);
        SparseProjections.Accumulate(other, dim, indices, weights, 1f, alpha, -alpha, x, r);
        r.CopyTo(p);
        var rsOld = TensorPrimitives.Dot(r, r);
        for (var step = 0; step < steps && rsOld > 1e-20f; step++)
        {
            DenseKernels.MultiplyTransposed(gram, dim, p, ap);
            SparseProjections.Accumulate(other, dim, indices, weights, 0f, 0f, alpha, p, ap);
            var pAp = TensorPrimitives.Dot(p, ap);
            if (!(pAp > 0f))
            {
                break;
            }
            var a = rsOld / pAp;
            TensorPrimitives.MultiplyAdd(p, a, x, x);
            TensorPrimitives.MultiplyAdd(ap, -a, r, r);
            var rsNew = TensorPrimitives.Dot(r, r);
            TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
            rsOld = rsNew;
        }
    }

    /// <summary>
    /// The exact solve by Cholesky: O(n dim^2 + dim^3). Items outside <paramref name="other"/> and non-positive
    /// weights are skipped. <paramref name="scratch"/> holds at least <see cref="ExactScratch"/>(dim) floats.
    /// </summary>
    public static void SolveExact(
        ReadOnlySpan<float> other,
        int dim,
        ReadOnlySpan<float> gram,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<float> weights,
        float alpha,
        Span<float> x,
        Span<float> scratch)
    {
        var a = scratch[..(dim * dim)];
        var scaled = scratch.Slice(dim * dim, ExactBlock * dim);
        gram[..(dim * dim)].CopyTo(a);
        x[..dim].Clear();
        var rows = other.Length / dim;
        var count = 0;
        for (var j = 0; j < indices.Length; j++)
        {
            var index = indices[j];
            var w = weights[j];
            if ((uint)index >= (uint)rows || !(w > 0f))
            {
                continue;
            }
            // Rows scaled by sqrt(alpha w), gathered in blocks: their Gram matrix is sum alpha w y y^T.
            var y = other.Slice(index * dim, dim);
            TensorPrimitives.Multiply(y, MathF.Sqrt(alpha * w), scaled.Slice(count * dim, dim));
            TensorPrimitives.MultiplyAdd(y, 1f + alpha * w, x[..dim], x[..dim]);
            if (++count == ExactBlock)
            {
                DenseKernels.AddGram(scaled, count, dim, a);
                count = 0;
            }
        }
        DenseKernels.AddGram(scaled, count, dim, a);
        if (CholeskySolver.TryFactor(a, dim))
        {
            CholeskySolver.Solve(a, dim, x);
        }
        else
        {
            x[..dim].Clear();
        }
    }

    /// <summary>G = Y^T Y + reg I over the first <paramref name="rows"/> rows of Y.</summary>
    public static float[] RegularizedGram(float[] factors, int rows, int dim, float regularization, int threads)
    {
        var gram = new float[dim * dim];
        DenseKernels.Gram(factors, rows, dim, gram, threads);
        AddDiagonal(gram, dim, regularization);
        return gram;
    }

    public static void AddDiagonal(Span<float> matrix, int dim, float value)
    {
        for (var i = 0; i < dim; i++)
        {
            matrix[i * dim + i] += value;
        }
    }
}
