using System.Numerics.Tensors;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// One pre-LN block at inference: extends a <see cref="TransformerState"/> by new positions, attending over the
/// cached keys and values. Immutable and thread-safe.
/// </summary>
internal sealed class EncoderBlock
{
    private readonly TransformerBlock _block;
    private readonly DenseWeights _q;
    private readonly DenseWeights _k;
    private readonly DenseWeights _v;
    private readonly DenseWeights _o;
    private readonly DenseWeights _w1;
    private readonly DenseWeights _w2;

    public EncoderBlock(TransformerBlock block, bool int8)
    {
        _block = block;
        int d = block.Dimension, f = block.HiddenSize;
        _q = new DenseWeights(P(block, 2), P(block, 3), d, d, int8);
        _k = new DenseWeights(P(block, 4), P(block, 5), d, d, int8);
        _v = new DenseWeights(P(block, 6), P(block, 7), d, d, int8);
        _o = new DenseWeights(P(block, 8), P(block, 9), d, d, int8);
        _w1 = new DenseWeights(P(block, 12), P(block, 13), d, f, int8);
        _w2 = new DenseWeights(P(block, 14), P(block, 15), f, d, int8);
    }

    /// <summary>Parameter values in <see cref="TransformerBlock.Parameters"/> order: LN1 gain, bias, Wq, bq, Wk, bk, Wv, bv, Wo, bo, LN2 gain, bias, W1, b1, W2, b2.</summary>
    private static float[] P(TransformerBlock block, int index) => block.Parameters[index].Value;

    public int QueryBytes => Math.Max(_q.QueryBytes, _w2.QueryBytes);

    public long MemoryBytes => _q.MemoryBytes + _k.MemoryBytes + _v.MemoryBytes + _o.MemoryBytes + _w1.MemoryBytes + _w2.MemoryBytes + (16L * _block.Dimension);

    /// <summary>
    /// Runs positions first .. first + count - 1 (rows 0 .. count - 1 of <see cref="TransformerState.X"/>) through
    /// the block in place. In the last block only the final row is carried past the key/value projections.
    /// </summary>
    public void Forward(TransformerState s, int blockIndex, int first, int count, bool lastBlock)
    {
        int d = _block.Dimension, f = _block.HiddenSize, heads = _block.Heads, headDim = d / heads;
        var cache = blockIndex * s.MaxLength * d;
        LayerNorm.Forward(s.X.AsSpan(0, count * d), P(_block, 0), P(_block, 1), count, d, s.A, s.Mean, s.Rstd);
        _k.Apply(s.A, count, s.Keys.AsSpan(cache + (first * d)), s.Query);
        _v.Apply(s.A, count, s.Values.AsSpan(cache + (first * d)), s.Query);
        var skip = lastBlock ? count - 1 : 0;
        var rows = count - skip;
        var a = s.A.AsSpan(skip * d, rows * d);
        var x = s.X.AsSpan(skip * d, rows * d);
        _q.Apply(a, rows, s.Q, s.Query);
        var inverseRoot = 1f / MathF.Sqrt(headDim);
        for (var r = 0; r < rows; r++)
        {
            var position = first + skip + r;
            for (var h = 0; h < heads; h++)
            {
                var q = s.Q.AsSpan((r * d) + (h * headDim), headDim);
                var weights = s.Weights.AsSpan(0, position + 1);
                for (var j = 0; j <= position; j++)
                {
                    weights[j] = TensorPrimitives.Dot(q, s.Keys.AsSpan(cache + (j * d) + (h * headDim), headDim)) * inverseRoot;
                }
                Softmax.Row(weights, weights);
                var output = s.Attention.AsSpan((r * d) + (h * headDim), headDim);
                output.Clear();
                for (var j = 0; j <= position; j++)
                {
                    TensorPrimitives.MultiplyAdd(s.Values.AsSpan(cache + (j * d) + (h * headDim), headDim), weights[j], output, output);
                }
            }
        }
        _o.Apply(s.Attention, rows, s.Branch, s.Query);
        TensorPrimitives.Add(x, s.Branch.AsSpan(0, rows * d), x);
        LayerNorm.Forward(x, P(_block, 10), P(_block, 11), rows, d, s.A, s.Mean, s.Rstd);
        _w1.Apply(s.A, rows, s.FeedForward, s.Query);
        var hidden = s.FeedForward.AsSpan(0, rows * f);
        Gelu.Forward(hidden, hidden);
        _w2.Apply(hidden, rows, s.Branch, s.Query);
        TensorPrimitives.Add(x, s.Branch.AsSpan(0, rows * d), x);
    }
}
