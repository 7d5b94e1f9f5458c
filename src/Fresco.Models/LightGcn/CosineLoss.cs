using System.Numerics.Tensors;
using Fresco.Core.Linalg;
using Fresco.Core.Nn;
using Fresco.Models.Bpr;

namespace Fresco.Models.LightGcn;

/// <summary>
/// A loss over cosines with many negatives: for each observed pair (u, i) of a batch of B, a function of
/// <c>cos(e_u, e_i)</c> and of the cosines to N uniform negatives shared by the whole batch (the published losses
/// draw them per pair), so that the B x N cosines and both of their gradients are three dense GEMMs of the unit rows
/// (6 x B x N x factors flops per batch, so 6 x N x interactions x factors per epoch) instead of B x N row dots.
/// A negative that is one of the user's own items is left out of their pair's loss (as the published losses sample
/// around them). A user's row is their embedding or, with <see cref="CosineSetup.Tower"/>, SimpleX's user tower;
/// <see cref="CosineSetup.Dropout"/> drops coordinates of the unit user rows. A subclass gives the per-pair loss.
/// Not thread-safe (see <see cref="IGraphLoss"/>); the GEMMs use <c>threads</c> cores.
/// </summary>
internal abstract class CosineLoss : IGraphLoss
{
    private readonly CosineSetup _setup;
    private readonly int[] _users;
    private readonly int[] _positives;
    private readonly int[] _negatives;
    private readonly int[] _firstSlot;
    private readonly int[] _nextSlot;
    private readonly float[]? _dropMask;
    private readonly UnitRows _u;
    private readonly UnitRows _p;
    private readonly UnitRows _q;
    private readonly float[] _cosines;

    protected CosineLoss(CosineSetup setup)
    {
        _setup = setup;
        var (batch, negatives, dim) = (setup.BatchSize, setup.Negatives, setup.Dim);
        _users = new int[batch];
        _positives = new int[batch];
        _negatives = new int[negatives];
        _firstSlot = new int[setup.UserItems.Columns];
        Array.Fill(_firstSlot, -1);
        _nextSlot = new int[negatives];
        _dropMask = setup.Dropout > 0f ? new float[batch * dim] : null;
        (_u, _p, _q) = (new UnitRows(batch, dim), new UnitRows(batch, dim), new UnitRows(negatives, dim));
        _cosines = new float[batch * negatives];
    }

    public int BatchSize => _users.Length;

    public void Sample(ref SplitMix random)
    {
        var userItems = _setup.UserItems;
        for (var b = 0; b < _users.Length; b++)
        {
            (_users[b], _positives[b]) = PairSampler.Pair(userItems, ref random);
        }
        foreach (var negative in _negatives)
        {
            _firstSlot[negative] = -1;
        }
        for (var n = 0; n < _negatives.Length; n++)
        {
            var negative = random.Below(userItems.Columns);
            _negatives[n] = negative;
            _nextSlot[n] = _firstSlot[negative];
            _firstSlot[negative] = n;
        }
        if (_dropMask is not null)
        {
            var keep = 1f / (1f - _setup.Dropout);
            var threshold = (ulong)(_setup.Dropout * (double)ulong.MaxValue);
            for (var k = 0; k < _dropMask.Length; k++)
            {
                _dropMask[k] = random.Next() < threshold ? 0f : keep;
            }
        }
    }

    public double Gradient(float[] userFinal, float[] itemFinal, float[] userGrad, float[] itemGrad)
    {
        var (batch, negatives, dim, threads) = (_users.Length, _negatives.Length, _setup.Dim, _setup.Threads);
        if (_setup.Tower is { } tower)
        {
            tower.Forward(userFinal, itemFinal, _users, _u.Unit);
            _u.Normalize();
        }
        else
        {
            _u.Gather(userFinal, _users);
        }
        if (_dropMask is not null)
        {
            _u.Drop(_dropMask);
        }
        _p.Gather(itemFinal, _positives);
        _q.Gather(itemFinal, _negatives);
        Gemm.Multiply(false, true, batch, negatives, dim, 1f, _u.Unit, dim, _q.Unit, dim, 0f, _cosines, negatives, threads);
        var loss = 0.0;
        for (var b = 0; b < batch; b++)
        {
            var row = _cosines.AsSpan(b * negatives, negatives);
            LeaveOutOwnItems(_users[b], row);
            loss += PairLoss(TensorPrimitives.Dot(_u.Row(b), _p.Row(b)), row, out var positiveSlope);
            // Over the batch mean: the pair's slopes divided by B.
            TensorPrimitives.Multiply(row, 1f / batch, row);
            TensorPrimitives.Multiply(_u.Row(b), positiveSlope / batch, _p.GradRow(b));
            TensorPrimitives.Multiply(_p.Row(b), positiveSlope / batch, _u.GradRow(b));
        }
        // dU += G Q, dQ = G^T U, with G the slopes over the negatives' cosines.
        Gemm.Multiply(false, false, batch, dim, negatives, 1f, _cosines, negatives, _q.Unit, dim, 1f, _u.Grad, dim, threads);
        Gemm.Multiply(true, false, negatives, dim, batch, 1f, _cosines, negatives, _u.Unit, dim, 0f, _q.Grad, dim, threads);
        _u.Backward();
        if (_setup.Tower is { } back)
        {
            back.Backward(_users, _u.Grad, userGrad, itemGrad);
        }
        else
        {
            _u.ScatterAdd(_users, userGrad);
        }
        _p.Backward();
        _p.ScatterAdd(_positives, itemGrad);
        _q.Backward();
        _q.ScatterAdd(_negatives, itemGrad);
        return loss / batch;
    }

    public void AddPenalty(NnParameter users, NnParameter items, float lambda)
    {
        for (var b = 0; b < _users.Length; b++)
        {
            Penalty.AddRow(users, _users[b], _setup.Dim, lambda);
            Penalty.AddRow(items, _positives[b], _setup.Dim, lambda);
        }
        foreach (var negative in _negatives)
        {
            Penalty.AddRow(items, negative, _setup.Dim, lambda);
        }
    }

    /// <summary>
    /// One pair's loss from its positive cosine and its cosines to the negatives (negative infinity: left out);
    /// overwrites <paramref name="negatives"/> with the loss's slope over each and gives the slope over the positive cosine.
    /// </summary>
    protected abstract double PairLoss(float positive, Span<float> negatives, out float positiveSlope);

    /// <summary>Sets the cosines of the negatives that are among <paramref name="user"/>'s items to negative infinity.</summary>
    private void LeaveOutOwnItems(int user, Span<float> cosines)
    {
        foreach (var item in _setup.UserItems.RowIndices(user))
        {
            for (var slot = _firstSlot[item]; slot >= 0; slot = _nextSlot[slot])
            {
                cosines[slot] = float.NegativeInfinity;
            }
        }
    }
}
