using System.Numerics.Tensors;
using Fresco.Core.Linalg.Quantization;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// Single-sequence inference for a trained <see cref="TransformerNetwork"/>, fp32 or int8 (item table and every
/// weight matrix quantized per row, scored with <see cref="Int8Kernels"/>). A sequence is encoded into a
/// <see cref="TransformerState"/> that caches each block's keys and values, so <see cref="Append"/> costs one
/// position, not a re-encoding; while the window is not full it equals a full <see cref="Encode"/>. In the last
/// block only the latest position goes past the key/value projections. Immutable and thread-safe; a state
/// belongs to one caller. No allocation per call.
/// </summary>
public sealed class TransformerEncoder
{
    private readonly TransformerNetwork _network;
    private readonly EncoderBlock[] _blocks;
    private readonly QuantizedMatrix? _itemCodes;
    private readonly int _queryBytes;
    private readonly int _feedForward;

    internal TransformerEncoder(TransformerNetwork network, bool int8)
    {
        _network = network;
        IsInt8 = int8;
        _blocks = [.. network.Blocks.Select(b => new EncoderBlock(b, int8))];
        if (int8)
        {
            _itemCodes = QuantizedMatrix.Quantize(network.ItemTable.Value, network.Items, network.Dimension);
        }
        _feedForward = network.Blocks.Max(b => b.HiddenSize);
        _queryBytes = Math.Max(_itemCodes?.Stride ?? 0, _blocks.Max(b => b.QueryBytes));
    }

    public bool IsInt8 { get; }

    public int MaxLength => _network.MaxLength;

    /// <summary>Bytes of the weights and item table as served (int8 codes and scales when quantized).</summary>
    public long MemoryBytes =>
        (_itemCodes?.MemoryBytes ?? (4L * _network.ItemTable.Value.Length)) + (4L * _network.PositionTable.Value.Length)
        + _blocks.Sum(b => b.MemoryBytes);

    public TransformerState CreateState()
    {
        return new TransformerState(_blocks.Length, _network.MaxLength, _network.Dimension, _feedForward, _queryBytes);
    }

    /// <summary>Whether <paramref name="state"/> has the shape this encoder needs.</summary>
    public bool Fits(TransformerState state) =>
        state.MaxLength == MaxLength && state.Keys.Length == _blocks.Length * MaxLength * _network.Dimension
        && state.FeedForward.Length >= MaxLength * _feedForward && state.Query.Length >= MaxLength * _queryBytes;

    /// <summary>Encodes <paramref name="items"/> (oldest first; only the latest <see cref="MaxLength"/> count) from scratch.</summary>
    public void Encode(TransformerState state, ReadOnlySpan<int> items)
    {
        if (items.Length > MaxLength)
        {
            items = items[^MaxLength..];
        }
        items.CopyTo(state.Window);
        state.Count = 0;
        Extend(state, 0, items.Length);
    }

    /// <summary>
    /// Adds one event: one position through every block using the cached keys and values. When the window is full
    /// the oldest event slides out and the window is re-encoded (positions are relative to the window).
    /// </summary>
    public void Append(TransformerState state, int item)
    {
        if (state.Count == MaxLength)
        {
            state.Window.AsSpan(1).CopyTo(state.Window);
            state.Window[^1] = item;
            Extend(state, 0, MaxLength);
            return;
        }
        state.Window[state.Count] = item;
        Extend(state, state.Count, 1);
    }

    /// <summary>Writes the score of every item for the encoded sequence: its output dotted with each item row.</summary>
    public void Score(TransformerState state, Span<float> scores)
    {
        var items = _network.Items;
        if (_itemCodes is not null)
        {
            DenseWeights.QuantizeRows(state.Hidden, 1, state.Hidden.Length, _itemCodes.Stride, state.Query, state.Scales, state.Scratch);
            Int8Kernels.ScoreAll(_itemCodes, state.Query, state.Scales[0], scores[..items]);
            return;
        }
        var d = _network.Dimension;
        var table = _network.ItemTable.Value.AsSpan();
        var hidden = state.Hidden.AsSpan();
        for (var i = 0; i < items; i++)
        {
            scores[i] = TensorPrimitives.Dot(hidden, table.Slice(i * d, d));
        }
    }

    private void Extend(TransformerState state, int first, int count)
    {
        var d = _network.Dimension;
        if (first + count == 0)
        {
            _network.FinalBias.Value.CopyTo(state.Hidden, 0);
            return;
        }
        var scale = _network.InputScale;
        var positions = _network.PositionTable.Value.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var row = state.X.AsSpan(i * d, d);
            if (_itemCodes is null)
            {
                _network.ItemTable.Value.AsSpan(state.Window[first + i] * d, d).CopyTo(row);
            }
            else
            {
                _itemCodes.Dequantize(state.Window[first + i], row);
            }
            TensorPrimitives.MultiplyAdd(row, scale, positions.Slice((first + i) * d, d), row);
        }
        for (var b = 0; b < _blocks.Length; b++)
        {
            _blocks[b].Forward(state, b, first, count, lastBlock: b == _blocks.Length - 1);
        }
        var last = state.X.AsSpan((count - 1) * d, d);
        LayerNorm.Forward(last, _network.FinalGain.Value, _network.FinalBias.Value, 1, d, state.Hidden, state.Mean, state.Rstd);
        state.Count = first + count;
    }
}
