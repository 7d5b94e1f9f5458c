using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Fresco.Core.Linalg.Quantization;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// One inference-time fully connected layer, <c>y = x W + b</c>: fp32 through <see cref="Linear"/> on one thread,
/// or int8 with W^T quantized per output row and each input row quantized on the fly (see
/// <see cref="QuantizeRow"/>) and scored with <see cref="Int8Kernels.ScoreAll(QuantizedMatrix, ReadOnlySpan{byte}, float, Span{float})"/>.
/// Immutable and thread-safe; scratch comes from the caller.
/// </summary>
internal sealed class DenseWeights
{
    private readonly float[] _weight;
    private readonly float[] _bias;
    private readonly QuantizedMatrix? _quantized;

    public DenseWeights(float[] weight, float[] bias, int inputs, int outputs, bool int8)
    {
        Inputs = inputs;
        Outputs = outputs;
        _weight = weight;
        _bias = bias;
        if (int8)
        {
            var transposed = new float[weight.Length];
            for (var i = 0; i < inputs; i++)
            {
                for (var o = 0; o < outputs; o++)
                {
                    transposed[(o * inputs) + i] = weight[(i * outputs) + o];
                }
            }
            _quantized = QuantizedMatrix.Quantize(transposed, outputs, inputs);
        }
    }

    public int Inputs { get; }

    public int Outputs { get; }

    public bool IsInt8 => _quantized is not null;

    /// <summary>Bytes a quantized input row needs in int8 mode.</summary>
    public int QueryBytes => _quantized?.Stride ?? 0;

    public long MemoryBytes => (_quantized?.MemoryBytes ?? (4L * _weight.Length)) + (4L * _bias.Length);

    /// <summary>
    /// Writes <paramref name="rows"/> output rows. In int8 mode the input rows are quantized into
    /// <paramref name="query"/> (rows x <see cref="QueryBytes"/>, one scale per row in <paramref name="scales"/>,
    /// <paramref name="scratch"/> at least 2 x rows x <see cref="Inputs"/> floats) unless <paramref name="quantized"/>
    /// says the caller already did.
    /// </summary>
    public void Apply(
        ReadOnlySpan<float> x, int rows, Span<float> y, Span<byte> query, Span<float> scales, Span<float> scratch, bool quantized = false)
    {
        if (_quantized is null)
        {
            Linear.Forward(x[..(rows * Inputs)], _weight, _bias, rows, Inputs, Outputs, y[..(rows * Outputs)], threads: 1);
            return;
        }
        var stride = _quantized.Stride;
        if (!quantized)
        {
            QuantizeRows(x, rows, Inputs, stride, query, scales, scratch);
        }
        for (var r = 0; r < rows; r++)
        {
            var output = y.Slice(r * Outputs, Outputs);
            Int8Kernels.ScoreAll(_quantized, query.Slice(r * stride, stride), scales[r], output);
            TensorPrimitives.Add(output, _bias, output);
        }
    }

    /// <summary>
    /// Quantizes each row like <see cref="Int8Quantizer.QuantizeUnsigned"/> (round half to even of x / scale, plus
    /// 128; 128 in the padding up to <paramref name="stride"/>), the rounding done once over all rows with
    /// <see cref="TensorPrimitives"/>; <paramref name="scratch"/> holds 2 x rows x columns floats.
    /// </summary>
    public static void QuantizeRows(
        ReadOnlySpan<float> x, int rows, int columns, int stride, Span<byte> query, Span<float> scales, Span<float> scratch)
    {
        var t = scratch[..(rows * columns)];
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * columns, columns);
            var scale = MathF.Abs(TensorPrimitives.MaxMagnitude(row)) / 127f;
            scales[r] = scale;
            TensorPrimitives.Multiply(row, scale == 0f ? 0f : 1f / scale, t.Slice(r * columns, columns));
        }
        TensorPrimitives.Round(t, t);
        TensorPrimitives.Clamp(t, -127f, 127f, t);
        TensorPrimitives.Add(t, Int8Quantizer.UnsignedOffset, t);
        // Whole numbers in [1, 255]: through int (vectorized) to byte is exact.
        var integers = MemoryMarshal.Cast<float, int>(scratch.Slice(rows * columns, rows * columns));
        TensorPrimitives.ConvertToInteger<float, int>(t, integers);
        if (stride == columns)
        {
            TensorPrimitives.ConvertTruncating<int, byte>(integers, query[..(rows * stride)]);
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            var codes = query.Slice(r * stride, stride);
            TensorPrimitives.ConvertTruncating<int, byte>(integers.Slice(r * columns, columns), codes);
            codes[columns..].Fill(Int8Quantizer.UnsignedOffset);
        }
    }
}
