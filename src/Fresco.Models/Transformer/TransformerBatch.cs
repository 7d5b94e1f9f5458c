using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// Buffers and the batched forward/backward pass of <see cref="TransformerNetwork"/> for a fixed number of
/// left-padded sequences of a fixed window length (the trainer keeps one per window bucket). A sequence's events
/// fill the last <c>Lengths[b]</c> slots of its window, oldest first; position ids count from its first event.
/// Not thread-safe: one pass at a time.
/// </summary>
internal sealed class TransformerBatch
{
    private readonly TransformerNetwork _network;
    private readonly TransformerActivations[] _activations;
    private readonly float[][] _x;
    private readonly float[] _inputMask;
    private readonly float[] _finalMean;
    private readonly float[] _finalRstd;
    private readonly float[] _gradA;
    private readonly float[] _gradB;

    public TransformerBatch(TransformerNetwork network, int batch, int length)
    {
        _network = network;
        Batch = batch;
        Length = length;
        var rows = batch * length;
        var d = network.Dimension;
        Items = new int[rows];
        Targets = new int[rows];
        Lengths = new int[batch];
        _activations = [.. network.Blocks.Select(b => new TransformerActivations(batch, length, d, b.Heads, b.HiddenSize))];
        _x = [.. Enumerable.Range(0, network.Blocks.Length + 1).Select(_ => new float[rows * d])];
        _inputMask = new float[rows * d];
        Output = new float[rows * d];
        _finalMean = new float[rows];
        _finalRstd = new float[rows];
        OutputGrad = new float[rows * d];
        _gradA = new float[rows * d];
        _gradB = new float[rows * d];
    }

    public int Batch { get; }

    public int Length { get; }

    /// <summary>Item index per slot (ignored in padding slots).</summary>
    public int[] Items { get; }

    /// <summary>The next item to predict per slot, or -1 (padding, or no target).</summary>
    public int[] Targets { get; }

    /// <summary>Real events per sequence (0 for an unused sequence slot).</summary>
    public int[] Lengths { get; }

    /// <summary>The final layer-normed hidden state per slot, rows x dimension.</summary>
    public float[] Output { get; }

    /// <summary>Gradient of the loss with respect to <see cref="Output"/>; the caller fills it before <see cref="Backward"/>.</summary>
    public float[] OutputGrad { get; }

    /// <summary>Fills sequence <paramref name="b"/> with <paramref name="items"/> (oldest first) and their targets (-1 for none).</summary>
    public void SetSequence(int b, ReadOnlySpan<int> items, ReadOnlySpan<int> targets)
    {
        var start = b * Length;
        var pad = Length - items.Length;
        Lengths[b] = items.Length;
        Items.AsSpan(start, pad).Clear();
        Targets.AsSpan(start, pad).Fill(-1);
        items.CopyTo(Items.AsSpan(start + pad));
        if (targets.IsEmpty)
        {
            Targets.AsSpan(start + pad, items.Length).Fill(-1);
        }
        else
        {
            targets.CopyTo(Targets.AsSpan(start + pad));
        }
    }

    /// <summary>Marks sequences <paramref name="from"/> .. Batch-1 as unused.</summary>
    public void ClearFrom(int from)
    {
        Lengths.AsSpan(from).Clear();
        Targets.AsSpan(from * Length).Fill(-1);
        Items.AsSpan(from * Length).Clear();
    }

    public void Forward(float dropout, ulong seed, int threads)
    {
        var d = _network.Dimension;
        var x = _x[0];
        var items = _network.ItemTable.Value;
        var positions = _network.PositionTable.Value;
        var scale = _network.InputScale;
        for (var b = 0; b < Batch; b++)
        {
            var pad = Length - Lengths[b];
            for (var t = 0; t < Length; t++)
            {
                var row = x.AsSpan((b * Length + t) * d, d);
                if (t < pad)
                {
                    row.Clear();
                    continue;
                }
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(
                    items.AsSpan(Items[b * Length + t] * d, d), scale, positions.AsSpan((t - pad) * d, d), row);
            }
        }
        Dropout.Forward(x, dropout, seed, _inputMask, x);
        for (var i = 0; i < _network.Blocks.Length; i++)
        {
            _network.Blocks[i].Forward(_x[i], Lengths, _activations[i], _x[i + 1], dropout, seed + (ulong)(i + 1) * 0x632BE59BD9B4E019UL, threads);
        }
        var rows = Batch * Length;
        LayerNorm.Forward(_x[^1], _network.FinalGain.Value, _network.FinalBias.Value, rows, d, Output, _finalMean, _finalRstd);
    }

    /// <summary>Back-propagates <see cref="OutputGrad"/>, accumulating every parameter's gradient.</summary>
    public void Backward(int threads)
    {
        var d = _network.Dimension;
        var rows = Batch * Length;
        LayerNorm.Backward(_x[^1], _network.FinalGain.Value, OutputGrad, _finalMean, _finalRstd, rows, d, _gradA, _network.FinalGain.Grad, _network.FinalBias.Grad);
        var (dy, dx) = (_gradA, _gradB);
        for (var i = _network.Blocks.Length - 1; i >= 0; i--)
        {
            _network.Blocks[i].Backward(_x[i], dy, _activations[i], dx, threads);
            (dy, dx) = (dx, dy);
        }
        Dropout.Backward(dy, _inputMask, dy);
        var itemGrad = _network.ItemTable.Grad;
        var positionGrad = _network.PositionTable.Grad;
        var scale = _network.InputScale;
        for (var b = 0; b < Batch; b++)
        {
            var pad = Length - Lengths[b];
            for (var t = pad; t < Length; t++)
            {
                var g = dy.AsSpan((b * Length + t) * d, d);
                var itemRow = itemGrad.AsSpan(Items[b * Length + t] * d, d);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, scale, itemRow, itemRow);
                var positionRow = positionGrad.AsSpan((t - pad) * d, d);
                System.Numerics.Tensors.TensorPrimitives.Add(positionRow, g, positionRow);
            }
        }
    }
}
