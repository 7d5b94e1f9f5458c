using System.Numerics.Tensors;
using Fresco.Core.Linalg;

namespace Fresco.Core.Nn;

/// <summary>
/// A fully connected layer, <c>y = x W + b</c>, on row-major buffers: x is rows x inputs, W is inputs x outputs,
/// b has outputs entries (or is empty for no bias), y is rows x outputs. Matrix products go through
/// <see cref="Gemm"/>. Thread-safe (static); concurrent calls must not share outputs.
/// </summary>
public static class Linear
{
    /// <summary>Writes <c>y = x W + b</c>.</summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inputs, int outputs, Span<float> y, int threads = 0)
    {
        Gemm.Multiply(false, false, rows, outputs, inputs, 1f, x, inputs, weight, outputs, 0f, y, outputs, threads);
        if (!bias.IsEmpty)
        {
            for (var r = 0; r < rows; r++)
            {
                var row = y.Slice(r * outputs, outputs);
                TensorPrimitives.Add(row, bias, row);
            }
        }
    }

    /// <summary>
    /// Writes <c>dx = dy W^T</c> (skipped when <paramref name="dx"/> is empty) and accumulates
    /// <c>dW += x^T dy</c> and <c>db += sum over rows of dy</c> (skipped when <paramref name="biasGrad"/> is empty).
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> dy,
        int rows, int inputs, int outputs,
        Span<float> dx, Span<float> weightGrad, Span<float> biasGrad, int threads = 0)
    {
        if (!dx.IsEmpty)
        {
            Gemm.Multiply(false, true, rows, inputs, outputs, 1f, dy, outputs, weight, outputs, 0f, dx, inputs, threads);
        }
        Gemm.Multiply(true, false, inputs, outputs, rows, 1f, x, inputs, dy, outputs, 1f, weightGrad, outputs, threads);
        if (!biasGrad.IsEmpty)
        {
            for (var r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(biasGrad, dy.Slice(r * outputs, outputs), biasGrad);
            }
        }
    }
}
