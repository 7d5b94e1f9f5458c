using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// A pre-LN transformer block on row-major (batch * length) x dimension activations:
/// <c>h = x + Dropout(Attention(LN1(x)) Wo + bo)</c>, <c>y = h + Dropout(Gelu(LN2(h) W1 + b1) W2 + b2)</c>, with
/// causal multi-head attention over left-padded sequences (see <see cref="CausalSelfAttention"/>). Holds its
/// parameters; activations live in a caller-owned <see cref="TransformerActivations"/>. Backward accumulates into
/// the parameters' gradients. The attention may be narrower than the model (queries, keys and values of
/// <see cref="AttentionWidth"/> columns, as left by structured pruning). Not thread-safe for training; forward passes
/// with distinct activations may run concurrently while the parameters are not being updated.
/// </summary>
public sealed class TransformerBlock
{
    /// <summary>
    /// Creates the block with seeded uniform(-1/sqrt(fan-in), 1/sqrt(fan-in)) weights, zero biases, unit gains;
    /// <paramref name="attentionWidth"/> (0: <paramref name="dimension"/>) is the width of the queries, keys and values.
    /// </summary>
    public TransformerBlock(string name, int dimension, int heads, int hidden, int seed, int attentionWidth = 0)
    {
        attentionWidth = attentionWidth == 0 ? dimension : attentionWidth;
        if (attentionWidth % heads != 0 || attentionWidth > dimension || attentionWidth < 0)
        {
            throw new ArgumentException($"Attention width {attentionWidth} is not a multiple of {heads} heads of at most dimension {dimension}.", nameof(heads));
        }
        Dimension = dimension;
        Heads = heads;
        HiddenSize = hidden;
        AttentionWidth = attentionWidth;
        var random = new Random(seed);
        NnParameter Weight(string part, int inputs, int outputs)
        {
            var value = new float[inputs * outputs];
            var bound = 1f / MathF.Sqrt(inputs);
            for (var i = 0; i < value.Length; i++)
            {
                value[i] = (random.NextSingle() * 2f - 1f) * bound;
            }
            return new NnParameter($"{name}.{part}", value);
        }
        NnParameter Zeros(string part, int length) => new($"{name}.{part}", length, decay: false);
        NnParameter Ones(string part, int length)
        {
            var value = new float[length];
            Array.Fill(value, 1f);
            return new NnParameter($"{name}.{part}", value, decay: false);
        }
        Ln1Gain = Ones("ln1.gain", dimension);
        Ln1Bias = Zeros("ln1.bias", dimension);
        Wq = Weight("wq", dimension, attentionWidth);
        Bq = Zeros("bq", attentionWidth);
        Wk = Weight("wk", dimension, attentionWidth);
        Bk = Zeros("bk", attentionWidth);
        Wv = Weight("wv", dimension, attentionWidth);
        Bv = Zeros("bv", attentionWidth);
        Wo = Weight("wo", attentionWidth, dimension);
        Bo = Zeros("bo", dimension);
        Ln2Gain = Ones("ln2.gain", dimension);
        Ln2Bias = Zeros("ln2.bias", dimension);
        W1 = Weight("w1", dimension, hidden);
        B1 = Zeros("b1", hidden);
        W2 = Weight("w2", hidden, dimension);
        B2 = Zeros("b2", dimension);
        Parameters = [Ln1Gain, Ln1Bias, Wq, Bq, Wk, Bk, Wv, Bv, Wo, Bo, Ln2Gain, Ln2Bias, W1, B1, W2, B2];
    }

    /// <summary>Model width.</summary>
    public int Dimension { get; }

    /// <summary>Number of attention heads.</summary>
    public int Heads { get; }

    /// <summary>Width of the queries, keys and values (all heads together; at most <see cref="Dimension"/>).</summary>
    public int AttentionWidth { get; }

    /// <summary>Width of the feed-forward layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Every parameter, in a fixed order.</summary>
    public IReadOnlyList<NnParameter> Parameters { get; }

    internal NnParameter Ln1Gain { get; }
    internal NnParameter Ln1Bias { get; }
    internal NnParameter Wq { get; }
    internal NnParameter Bq { get; }
    internal NnParameter Wk { get; }
    internal NnParameter Bk { get; }
    internal NnParameter Wv { get; }
    internal NnParameter Bv { get; }
    internal NnParameter Wo { get; }
    internal NnParameter Bo { get; }
    internal NnParameter Ln2Gain { get; }
    internal NnParameter Ln2Bias { get; }
    internal NnParameter W1 { get; }
    internal NnParameter B1 { get; }
    internal NnParameter W2 { get; }
    internal NnParameter B2 { get; }

    /// <summary>
    /// Writes the block output <paramref name="y"/> (must not alias <paramref name="x"/>) and saves activations.
    /// Dropout with probability <paramref name="dropout"/> (0 at inference) uses masks derived from
    /// <paramref name="seed"/>.
    /// </summary>
    public void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<int> lengths, TransformerActivations a, Span<float> y,
        float dropout = 0f, ulong seed = 0, int threads = 0)
    {
        int rows = a.Batch * a.Length, d = Dimension, f = HiddenSize, w = AttentionWidth;
        LayerNorm.Forward(x, Ln1Gain.Value, Ln1Bias.Value, rows, d, a.Ln1, a.Ln1Mean, a.Ln1Rstd);
        Linear.Forward(a.Ln1, Wq.Value, Bq.Value, rows, d, w, a.Q, threads);
        Linear.Forward(a.Ln1, Wk.Value, Bk.Value, rows, d, w, a.K, threads);
        Linear.Forward(a.Ln1, Wv.Value, Bv.Value, rows, d, w, a.V, threads);
        CausalSelfAttention.Forward(a.Q, a.K, a.V, lengths, a.Batch, a.Length, Heads, w, a.Attention, a.Probabilities, threads);
        Linear.Forward(a.Attention, Wo.Value, Bo.Value, rows, w, d, a.Residual, threads);
        Dropout.Forward(a.Residual, dropout, seed, a.Mask1, a.Residual);
        TensorAdd(a.Residual, x);
        LayerNorm.Forward(a.Residual, Ln2Gain.Value, Ln2Bias.Value, rows, d, a.Ln2, a.Ln2Mean, a.Ln2Rstd);
        Linear.Forward(a.Ln2, W1.Value, B1.Value, rows, d, f, a.Hidden, threads);
        Gelu.Forward(a.Hidden, a.HiddenActivated);
        Linear.Forward(a.HiddenActivated, W2.Value, B2.Value, rows, f, d, y, threads);
        Dropout.Forward(y, dropout, seed ^ 0x5DEECE66DUL, a.Mask2, y);
        TensorAdd(y, a.Residual);
    }

    /// <summary>
    /// Writes the input gradient <paramref name="dx"/> (must not alias <paramref name="dy"/>) from the output
    /// gradient and the activations of the matching <see cref="Forward"/>, and accumulates parameter gradients.
    /// </summary>
    public void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> dy, TransformerActivations a, Span<float> dx, int threads = 0)
    {
        int rows = a.Batch * a.Length, d = Dimension, f = HiddenSize, w = AttentionWidth;
        // Feed-forward branch: dx collects dh = dy + d(branch)/dh.
        Dropout.Backward(dy, a.Mask2, a.GradA);
        Linear.Backward(a.HiddenActivated, W2.Value, a.GradA, rows, f, d, a.GradHidden, W2.Grad, B2.Grad, threads);
        Gelu.Backward(a.Hidden, a.GradHidden, a.GradHidden);
        Linear.Backward(a.Ln2, W1.Value, a.GradHidden, rows, d, f, a.GradB, W1.Grad, B1.Grad, threads);
        LayerNorm.Backward(a.Residual, Ln2Gain.Value, a.GradB, a.Ln2Mean, a.Ln2Rstd, rows, d, a.GradB, Ln2Gain.Grad, Ln2Bias.Grad);
        TensorPrimitives.Add(dy, a.GradB, dx);
        // Attention branch.
        Dropout.Backward(dx, a.Mask1, a.GradA);
        Linear.Backward(a.Attention, Wo.Value, a.GradA, rows, w, d, a.GradB, Wo.Grad, Bo.Grad, threads);
        CausalSelfAttention.Backward(a.Q, a.K, a.V, a.Probabilities, a.GradB, a.Batch, a.Length, Heads, w, a.GradQ, a.GradK, a.GradV, a.Scores, threads);
        Linear.Backward(a.Ln1, Wq.Value, a.GradQ, rows, d, w, a.GradA, Wq.Grad, Bq.Grad, threads);
        Linear.Backward(a.Ln1, Wk.Value, a.GradK, rows, d, w, a.GradB, Wk.Grad, Bk.Grad, threads);
        TensorAdd(a.GradA, a.GradB);
        Linear.Backward(a.Ln1, Wv.Value, a.GradV, rows, d, w, a.GradB, Wv.Grad, Bv.Grad, threads);
        TensorAdd(a.GradA, a.GradB);
        LayerNorm.Backward(x, Ln1Gain.Value, a.GradA, a.Ln1Mean, a.Ln1Rstd, rows, d, a.GradA, Ln1Gain.Grad, Ln1Bias.Grad);
        TensorAdd(dx, a.GradA);
    }

    private static void TensorAdd(Span<float> target, ReadOnlySpan<float> addend) =>
        TensorPrimitives.Add(target, addend, target);
}
