using Fresco.Core.Linalg;

namespace Fresco.Core.Nn;

/// <summary>
/// Multi-head scaled dot-product self-attention with a causal mask and a padding mask for left-padded
/// sequences. Q, K, V and the output are row-major (batch * length) x dimension buffers whose columns hold the
/// heads side by side (head h owns columns h * headDim ..). Sequence b has <c>lengths[b]</c> real positions at
/// its end; the first <c>length - lengths[b]</c> positions are padding: they are never attended to, and their
/// own outputs (and probability rows) are zero. The forward pass saves the probabilities,
/// batch x heads x length x length. Products go through <see cref="Gemm"/>. Thread-safe (static).
/// </summary>
public static class CausalSelfAttention
{
    /// <summary>Writes the attention output and the saved probabilities.</summary>
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<int> lengths,
        int batch, int length, int heads, int dimension, Span<float> output, Span<float> probabilities, int threads = 0)
    {
        var headDim = CheckShape(heads, dimension);
        var scale = 1f / MathF.Sqrt(headDim);
        var square = length * length;
        for (var b = 0; b < batch; b++)
        {
            var start = length - lengths[b];
            var rows = b * length * dimension;
            for (var h = 0; h < heads; h++)
            {
                var p = probabilities.Slice((b * heads + h) * square, square);
                var column = rows + h * headDim;
                Gemm.Multiply(false, true, length, length, headDim, scale, q[column..], dimension, k[column..], dimension, 0f, p, length, threads);
                for (var i = 0; i < length; i++)
                {
                    var row = p.Slice(i * length, length);
                    if (i < start)
                    {
                        row.Clear();
                        continue;
                    }
                    row[..start].Fill(float.NegativeInfinity);
                    row[(i + 1)..].Fill(float.NegativeInfinity);
                    Softmax.Row(row, row);
                }
                Gemm.Multiply(false, false, length, headDim, length, 1f, p, length, v[column..], dimension, 0f, output[column..], dimension, threads);
            }
        }
    }

    /// <summary>
    /// Writes dQ, dK and dV from the output gradient and the saved probabilities. <paramref name="scratch"/> holds
    /// at least length * length floats.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> outputGrad, int batch, int length, int heads, int dimension,
        Span<float> qGrad, Span<float> kGrad, Span<float> vGrad, Span<float> scratch, int threads = 0)
    {
        var headDim = CheckShape(heads, dimension);
        var scale = 1f / MathF.Sqrt(headDim);
        var square = length * length;
        var scores = scratch[..square];
        for (var b = 0; b < batch; b++)
        {
            var rows = b * length * dimension;
            for (var h = 0; h < heads; h++)
            {
                var p = probabilities.Slice((b * heads + h) * square, square);
                var column = rows + h * headDim;
                var dOut = outputGrad[column..];
                // dV = P^T dO; dP = dO V^T; dS = softmax backward of dP; dQ = scale dS K; dK = scale dS^T Q.
                Gemm.Multiply(true, false, length, headDim, length, 1f, p, length, dOut, dimension, 0f, vGrad[column..], dimension, threads);
                Gemm.Multiply(false, true, length, length, headDim, 1f, dOut, dimension, v[column..], dimension, 0f, scores, length, threads);
                Softmax.Backward(p, scores, length, length, scores);
                Gemm.Multiply(false, false, length, headDim, length, scale, scores, length, k[column..], dimension, 0f, qGrad[column..], dimension, threads);
                Gemm.Multiply(true, false, length, headDim, length, scale, scores, length, q[column..], dimension, 0f, kGrad[column..], dimension, threads);
            }
        }
    }

    private static int CheckShape(int heads, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (dimension % heads != 0)
        {
            throw new ArgumentException($"Dimension {dimension} is not a multiple of {heads} heads.", nameof(dimension));
        }
        return dimension / heads;
    }
}
