using System.Numerics.Tensors;
using Fresco.Core.Data;
using Fresco.Core.Nn;
using Fresco.Models.Bpr;

namespace Fresco.Models.LightGcn;

/// <summary>
/// LightGCN's own loss: BPR (Rendle et al. 2009) on (user, positive, uniform negative) triples,
/// <c>-log sigmoid(e_u . e_i - e_u . e_j)</c>, one negative per observed pair. Not thread-safe (see <see cref="IGraphLoss"/>).
/// </summary>
internal sealed class BprLoss(CsrMatrix userItems, int batchSize, int dim) : IGraphLoss
{
    private readonly Triple[] _batch = new Triple[batchSize];

    public int BatchSize => _batch.Length;

    public void Sample(ref SplitMix random)
    {
        for (var b = 0; b < _batch.Length; b++)
        {
            var (user, positive) = PairSampler.Pair(userItems, ref random);
            _batch[b] = new Triple(user, positive, PairSampler.Negative(userItems.RowIndices(user), userItems.Columns, ref random));
        }
    }

    public double Gradient(float[] userFinal, float[] itemFinal, float[] userGrad, float[] itemGrad)
    {
        var loss = 0.0;
        var scale = 1f / _batch.Length;
        foreach (var (user, positive, negative) in _batch)
        {
            var u = userFinal.AsSpan(user * dim, dim);
            var i = itemFinal.AsSpan(positive * dim, dim);
            var j = itemFinal.AsSpan(negative * dim, dim);
            var x = TensorPrimitives.Dot(u, i) - TensorPrimitives.Dot(u, j);
            // d/dx of -log sigmoid(x) is -sigmoid(-x); log(1 + e^-x) computed stably.
            loss += x > 0 ? Math.Log(1 + Math.Exp(-x)) : -x + Math.Log(1 + Math.Exp(x));
            var g = -scale / (1f + MathF.Exp(x));
            var gu = userGrad.AsSpan(user * dim, dim);
            TensorPrimitives.MultiplyAdd(i, g, gu, gu);
            TensorPrimitives.MultiplyAdd(j, -g, gu, gu);
            var gi = itemGrad.AsSpan(positive * dim, dim);
            TensorPrimitives.MultiplyAdd(u, g, gi, gi);
            var gj = itemGrad.AsSpan(negative * dim, dim);
            TensorPrimitives.MultiplyAdd(u, -g, gj, gj);
        }
        return loss / _batch.Length;
    }

    public void AddPenalty(NnParameter users, NnParameter items, float lambda)
    {
        foreach (var (user, positive, negative) in _batch)
        {
            Penalty.AddRow(users, user, dim, lambda);
            Penalty.AddRow(items, positive, dim, lambda);
            Penalty.AddRow(items, negative, dim, lambda);
        }
    }

    private readonly record struct Triple(int User, int Positive, int Negative);
}
