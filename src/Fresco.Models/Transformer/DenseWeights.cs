using System.Numerics.Tensors;
using Fresco.Core.Linalg.Quantization;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// One inference-time fully connected layer, <c>y = x W + b</c>: fp32 through <see cref="Linear"/> on one thread,
/// or int8 with W^T quantized per output row, each input row quantized on the fly and scored with
/// <see cref="Int8Kernels.ScoreAll(QuantizedMatrix, ReadOnlySpan{byte}, float, Span{float})"/>. Immutable and
/// thread-safe; scratch comes from the caller.
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

    /// <summary>Bytes a query row needs in int8 mode.</summary>
    public int QueryBytes => _quantized?.Stride ?? 0;

    public long MemoryBytes => (_quantized?.MemoryBytes ?? (4L * _weight.Length)) + (4L * _bias.Length);

    /// <summary>Writes <paramref name="rows"/> output rows; <paramref name="query"/> holds at least <see cref="QueryBytes"/>.</summary>
    public void Apply(ReadOnlySpan<float> x, int rows, Span<float> y, Span<byte> query)
    {
        if (_quantized is null)
        {
            Linear.Forward(x[..(rows * Inputs)], _weight, _bias, rows, Inputs, Outputs, y[..(rows * Outputs)], threads: 1);
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            var output = y.Slice(r * Outputs, Outputs);
            var scale = Int8Quantizer.QuantizeUnsigned(x.Slice(r * Inputs, Inputs), query);
            Int8Kernels.ScoreAll(_quantized, query, scale, output);
            TensorPrimitives.Add(output, _bias, output);
        }
    }
}
