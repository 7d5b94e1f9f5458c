using System.Numerics.Tensors;
using Fresco.Core.Data;
using Fresco.Core.Linalg;
using Fresco.Core.Nn;
using Fresco.Models.Bpr;

namespace Fresco.Models.LightGcn;

/// <summary>
/// A loss over cosines with many negatives: for each observed pair (u, i) of a batch of B, a function of
/// <c>cos(e_u, e_i)</c> and of the cosines to N uniform negatives shared by the whole batch (the published losses
/// draw them per pair), so that the B x N cosines and both of their gradients are three dense GEMMs of the unit rows
/// (6 x B x N x factors flops per batch, so 6 x N x interactions x factors per epoch) instead of B x N row dots.
/// A subclass gives the per-pair loss. Not thread-safe (see <see cref="IGraphLoss"/>); the GEMMs use <c>threads</c> cores.
/// </summary>
internal abstract class CosineLoss : IGraphLoss
{
    private readonly CsrMatrix _userItems;
    private readonly int _dim;
    private readonly int _threads;
    private readonly int[] _users;
    private readonly int[] _positives;
    private readonly int[] _negatives;
    private readonly UnitRows _u;
    private readonly UnitRows _p;
    private readonly UnitRows _q;
    private readonly float[] _cosines;

    protected CosineLoss(CsrMatrix userItems, int batchSize, int negatives, int dim, int threads)
    {
        (_userItems, _dim, _threads) = (userItems, dim, threads);
        _users = new int[batchSize];
        _positives = new int[batchSize];
        _negatives = new int[negatives];
        (_u, _p, _q) = (new UnitRows(batchSize, dim), new UnitRows(batchSize, dim), new UnitRows(negatives, dim));
        _cosines = new float[batchSize * negatives];
    }

    public int BatchSize => _users.Length;

    public void Sample(ref SplitMix random)
    {
        for (var b = 0; b < _users.Length; b++)
        {
            (_users[b], _positives[b]) = PairSampler.Pair(_userItems, ref random);
        }
        for (var n = 0; n < _negatives.Length; n++)
        {
            _negatives[n] = random.Below(_userItems.Columns);
        }
    }

    public double Gradient(float[] userFinal, float[] itemFinal, float[] userGrad, float[] itemGrad)
    {
        var (batch, negatives, dim) = (_users.Length, _negatives.Length, _dim);
        _u.Gather(userFinal, _users);
        _p.Gather(itemFinal, _positives);
        _q.Gather(itemFinal, _negatives);
        Gemm.Multiply(false, true, batch, negatives, dim, 1f, _u.Unit, dim, _q.Unit, dim, 0f, _cosines, negatives, _threads);
        var loss = 0.0;
        for (var b = 0; b < batch; b++)
        {
            var row = _cosines.AsSpan(b * negatives, negatives);
            loss += PairLoss(TensorPrimitives.Dot(_u.Row(b), _p.Row(b)), row, out var positiveSlope);
            // Over the batch mean: the pair's slopes divided by B.
            TensorPrimitives.Multiply(row, 1f / batch, row);
            TensorPrimitives.Multiply(_u.Row(b), positiveSlope / batch, _p.GradRow(b));
            TensorPrimitives.Multiply(_p.Row(b), positiveSlope / batch, _u.GradRow(b));
        }
        // dU += G Q, dQ = G^T U, with G the slopes over the negatives' cosines.
        Gemm.Multiply(false, false, batch, dim, negatives, 1f, _cosines, negatives, _q.Unit, dim, 1f, _u.Grad, dim, _threads);
        Gemm.Multiply(true, false, negatives, dim, batch, 1f, _cosines, negatives, _u.Unit, dim, 0f, _q.Grad, dim, _threads);
        _u.Scatter(_users, userGrad);
        _p.Scatter(_positives, itemGrad);
        _q.Scatter(_negatives, itemGrad);
        return loss / batch;
    }

    public void AddPenalty(NnParameter users, NnParameter items, float lambda)
    {
        for (var b = 0; b < _users.Length; b++)
        {
            Penalty.AddRow(users, _users[b], _dim, lambda);
            Penalty.AddRow(items, _positives[b], _dim, lambda);
        }
        foreach (var negative in _negatives)
        {
            Penalty.AddRow(items, negative, _dim, lambda);
        }
    }

    /// <summary>
    /// One pair's loss from its positive cosine and its cosines to the negatives; overwrites
    /// <paramref name="negatives"/> with the loss's slope over each and gives the slope over the positive cosine.
    /// </summary>
    protected abstract double PairLoss(float positive, Span<float> negatives, out float positiveSlope);

    /// <summary>Gathered embedding rows normalised to unit length, their norms, and the gradient over the unit rows.</summary>
    private sealed class UnitRows(int count, int dim)
    {
        private readonly float[] _norms = new float[count];

        public float[] Unit { get; } = new float[count * dim];

        public float[] Grad { get; } = new float[count * dim];

        public Span<float> Row(int row) => Unit.AsSpan(row * dim, dim);

        public Span<float> GradRow(int row) => Grad.AsSpan(row * dim, dim);

        public void Gather(float[] embeddings, int[] indices)
        {
            for (var r = 0; r < indices.Length; r++)
            {
                var unit = Row(r);
                embeddings.AsSpan(indices[r] * dim, dim).CopyTo(unit);
                _norms[r] = MathF.Max(TensorPrimitives.Norm(unit), 1e-12f);
                TensorPrimitives.Multiply(unit, 1f / _norms[r], unit);
            }
        }

        /// <summary>Back through the normalisation, <c>dx = (g - x^ (x^ . g)) / |x|</c>, added to each row's gradient.</summary>
        public void Scatter(int[] indices, float[] embeddingGrad)
        {
            for (var r = 0; r < indices.Length; r++)
            {
                var unit = Row(r);
                var grad = GradRow(r);
                TensorPrimitives.MultiplyAdd(unit, -TensorPrimitives.Dot(unit, grad), grad, grad);
                var target = embeddingGrad.AsSpan(indices[r] * dim, dim);
                TensorPrimitives.MultiplyAdd(grad, 1f / _norms[r], target, target);
            }
        }
    }
}
