using System.Numerics.Tensors;
using Fresco.Core.Linalg;
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
    private readonly DenseWeights _keyValue;
    private readonly DenseWeights _o;
    private readonly DenseWeights _w1;
    private readonly DenseWeights _w2;

    public EncoderBlock(TransformerBlock block, bool int8)
    {
        _block = block;
        int d = block.Dimension, f = block.HiddenSize, w = block.AttentionWidth;
        _q = new DenseWeights(P(block, 2), P(block, 3), d, w, int8);
        // Keys and values in one product: W = [Wk | Wv] (d x 2w), b = [bk, bv].
        var keyValue = new float[d * 2 * w];
        for (var i = 0; i < d; i++)
        {
            P(block, 4).AsSpan(i * w, w).CopyTo(keyValue.AsSpan(i * 2 * w, w));
            P(block, 6).AsSpan(i * w, w).CopyTo(keyValue.AsSpan((i * 2 * w) + w, w));
        }
        _keyValue = new DenseWeights(keyValue, [.. P(block, 5), .. P(block, 7)], d, 2 * w, int8);
        _o = new DenseWeights(P(block, 8), P(block, 9), w, d, int8);
        _w1 = new DenseWeights(P(block, 12), P(block, 13), d, f, int8);
        _w2 = new DenseWeights(P(block, 14), P(block, 15), f, d, int8);
    }

    /// <summary>Parameter values in <see cref="TransformerBlock.Parameters"/> order: LN1 gain, bias, Wq, bq, Wk, bk, Wv, bv, Wo, bo, LN2 gain, bias, W1, b1, W2, b2.</summary>
    private static float[] P(TransformerBlock block, int index) => block.Parameters[index].Value;

    public int QueryBytes => Math.Max(Math.Max(_q.QueryBytes, _o.QueryBytes), _w2.QueryBytes);

    public long MemoryBytes => _q.MemoryBytes + _keyValue.MemoryBytes + _o.MemoryBytes + _w1.MemoryBytes + _w2.MemoryBytes + (16L * _block.Dimension);

    /// <summary>
    /// Causal attention of rows 0 .. rows - 1 of <see cref="TransformerState.Q"/> (positions first, first + 1, ..)
    /// over the cached keys and values (rows of heads x headDim): per head, one product for the scores and one for
    /// the output (dot products for a single row).
    /// </summary>
    private static void Attend(TransformerState s, int cache, int first, int rows, int heads, int headDim)
    {
        var d = heads * headDim;
        var keys = first + rows;
        var scale = 1f / MathF.Sqrt(headDim);
        for (var h = 0; h < heads; h++)
        {
            var k = s.Keys.AsSpan(cache + (h * headDim), ((keys - 1) * d) + headDim);
            var v = s.Values.AsSpan(cache + (h * headDim), ((keys - 1) * d) + headDim);
            var q = s.Q.AsSpan(h * headDim);
            var output = s.Attention.AsSpan(h * headDim);
            if (rows == 1)
            {
                var weights = s.Weights.AsSpan(0, keys);
                for (var j = 0; j < keys; j++)
                {
                    weights[j] = TensorPrimitives.Dot(q[..headDim], k.Slice(j * d, headDim)) * scale;
                }
                Softmax.Row(weights, weights);
                var row = output[..headDim];
                row.Clear();
                for (var j = 0; j < keys; j++)
                {
                    TensorPrimitives.MultiplyAdd(v.Slice(j * d, headDim), weights[j], row, row);
                }
                continue;
            }
            var scores = s.Scores.AsSpan(0, rows * keys);
            Gemm.Multiply(false, true, rows, keys, headDim, scale, q, d, k, d, 0f, scores, keys, threads: 1);
            for (var r = 0; r < rows; r++)
            {
                var row = scores.Slice(r * keys, keys);
                var visible = first + r + 1;
                Softmax.Row(row[..visible], row[..visible]);
                row[visible..].Clear();
            }
            Gemm.Multiply(false, false, rows, headDim, keys, 1f, scores, keys, v, d, 0f, output, d, threads: 1);
        }
    }

    /// <summary>
    /// Runs positions first .. first + count - 1 (rows 0 .. count - 1 of <see cref="TransformerState.X"/>) through
    /// the block in place. In the last block only the final row is carried past the key/value projections.
    /// </summary>
    public void Forward(TransformerState s, int blockIndex, int first, int count, bool lastBlock)
    {
        int d = _block.Dimension, f = _block.HiddenSize, w = _block.AttentionWidth, heads = _block.Heads, headDim = w / heads;
        var cache = blockIndex * s.MaxLength * d;
        LayerNorm.Forward(s.X.AsSpan(0, count * d), P(_block, 0), P(_block, 1), count, d, s.A, s.Mean, s.Rstd);
        _keyValue.Apply(s.A, count, s.KeyValue, s.Query, s.Scales, s.Scratch);
        for (var r = 0; r < count; r++)
        {
            s.KeyValue.AsSpan(r * 2 * w, w).CopyTo(s.Keys.AsSpan(cache + ((first + r) * w), w));
            s.KeyValue.AsSpan((r * 2 * w) + w, w).CopyTo(s.Values.AsSpan(cache + ((first + r) * w), w));
        }
        var skip = lastBlock ? count - 1 : 0;
        var rows = count - skip;
        var a = s.A.AsSpan(skip * d, rows * d);
        var x = s.X.AsSpan(skip * d, rows * d);
        // In int8 mode the rows of A were quantized for the key/value product: reuse their codes.
        _q.Apply(a, rows, s.Q, s.Query.AsSpan(skip * _q.QueryBytes), s.Scales.AsSpan(skip), s.Scratch, quantized: _q.IsInt8);
        Attend(s, cache, first + skip, rows, heads, headDim);
        _o.Apply(s.Attention, rows, s.Branch, s.Query, s.Scales, s.Scratch);
        TensorPrimitives.Add(x, s.Branch.AsSpan(0, rows * d), x);
        LayerNorm.Forward(x, P(_block, 10), P(_block, 11), rows, d, s.A, s.Mean, s.Rstd);
        _w1.Apply(s.A, rows, s.FeedForward, s.Query, s.Scales, s.Scratch);
        var hidden = s.FeedForward.AsSpan(0, rows * f);
        Gelu.Forward(hidden, hidden);
        _w2.Apply(hidden, rows, s.Branch, s.Query, s.Scales, s.Scratch);
        TensorPrimitives.Add(x, s.Branch.AsSpan(0, rows * d), x);
    }
}
