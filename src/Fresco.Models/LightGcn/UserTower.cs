using System.Numerics.Tensors;
using Fresco.Core.Data;
using Fresco.Core.Linalg;
using Fresco.Core.Nn;

namespace Fresco.Models.LightGcn;

/// <summary>
/// SimpleX's user tower (Mao et al., CIKM 2021): a user is <c>g e_u + (1 - g) V mean(e_i)</c> over the items of their
/// history, with a learned d x d map V (initialised to the identity). The batch's means and both GEMMs are kept
/// between <see cref="Forward"/> and <see cref="Backward"/>: not thread-safe, one training run uses it; the GEMMs use
/// <c>threads</c> cores.
/// </summary>
internal sealed class UserTower
{
    private readonly CsrMatrix _userItems;
    private readonly int _dim;
    private readonly float _userWeight;
    private readonly int _threads;
    private readonly float[] _means;
    private readonly float[] _meanGrad;

    public UserTower(CsrMatrix userItems, int batchSize, int dim, float userWeight, int threads)
    {
        (_userItems, _dim, _userWeight, _threads) = (userItems, dim, userWeight, threads);
        _means = new float[batchSize * dim];
        _meanGrad = new float[batchSize * dim];
        Map = new NnParameter("history_map", dim * dim, decay: false);
        for (var k = 0; k < dim; k++)
        {
            Map.Value[k * dim + k] = 1f;
        }
    }

    /// <summary>V, row-major (output x input).</summary>
    public NnParameter Map { get; }

    /// <summary>The tower's rows of <paramref name="users"/> into <paramref name="rows"/> (row-major, one per user).</summary>
    public void Forward(float[] userFinal, float[] itemFinal, ReadOnlySpan<int> users, Span<float> rows)
    {
        for (var b = 0; b < users.Length; b++)
        {
            Mean(itemFinal, _userItems.RowIndices(users[b]), _means.AsSpan(b * _dim, _dim));
        }
        Gemm.Multiply(false, true, users.Length, _dim, _dim, 1f - _userWeight, _means, _dim, Map.Value, _dim, 0f, rows, _dim, _threads);
        for (var b = 0; b < users.Length; b++)
        {
            var row = rows.Slice(b * _dim, _dim);
            TensorPrimitives.MultiplyAdd(userFinal.AsSpan(users[b] * _dim, _dim), _userWeight, row, row);
        }
    }

    /// <summary>
    /// From the gradient over the rows of the last <see cref="Forward"/>: adds to the users' and their items' final
    /// embedding gradients and overwrites the gradient of <see cref="Map"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<int> users, ReadOnlySpan<float> rowGrad, float[] userGrad, float[] itemGrad)
    {
        var (batch, dim, share) = (users.Length, _dim, 1f - _userWeight);
        Gemm.Multiply(true, false, dim, dim, batch, share, rowGrad, dim, _means, dim, 0f, Map.Grad, dim, _threads);
        Gemm.Multiply(false, false, batch, dim, dim, share, rowGrad, dim, Map.Value, dim, 0f, _meanGrad, dim, _threads);
        for (var b = 0; b < batch; b++)
        {
            var target = userGrad.AsSpan(users[b] * dim, dim);
            TensorPrimitives.MultiplyAdd(rowGrad.Slice(b * dim, dim), _userWeight, target, target);
            var history = _userItems.RowIndices(users[b]);
            if (history.Length == 0)
            {
                continue;
            }
            var grad = _meanGrad.AsSpan(b * dim, dim);
            TensorPrimitives.Multiply(grad, 1f / history.Length, grad);
            foreach (var item in history)
            {
                var row = itemGrad.AsSpan(item * dim, dim);
                TensorPrimitives.Add(row, grad, row);
            }
        }
    }

    /// <summary>Every user's row (no dropout), for serving.</summary>
    public float[] AllUsers(float[] userFinal, float[] itemFinal)
    {
        var rows = new float[userFinal.Length];
        var users = Enumerable.Range(0, _userItems.Rows).ToArray();
        for (var start = 0; start < users.Length; start += _means.Length / _dim)
        {
            var chunk = users.AsSpan(start, Math.Min(_means.Length / _dim, users.Length - start));
            Forward(userFinal, itemFinal, chunk, rows.AsSpan(start * _dim, chunk.Length * _dim));
        }
        return rows;
    }

    /// <summary>V e_i for every item: what <see cref="LightGcnModel.FoldIn"/> averages for a user it does not hold.</summary>
    public float[] MappedItems(float[] itemFinal)
    {
        var items = itemFinal.Length / _dim;
        var rows = new float[itemFinal.Length];
        Gemm.Multiply(false, true, items, _dim, _dim, 1f, itemFinal, _dim, Map.Value, _dim, 0f, rows, _dim, _threads);
        return rows;
    }

    private void Mean(float[] itemFinal, ReadOnlySpan<int> history, Span<float> mean)
    {
        mean.Clear();
        foreach (var item in history)
        {
            TensorPrimitives.Add(mean, itemFinal.AsSpan(item * _dim, _dim), mean);
        }
        if (history.Length > 0)
        {
            TensorPrimitives.Multiply(mean, 1f / history.Length, mean);
        }
    }
}
