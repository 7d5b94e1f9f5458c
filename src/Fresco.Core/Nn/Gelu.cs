using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// GELU activation, tanh approximation: <c>0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))</c>. Vectorized
/// through <see cref="TensorPrimitives"/> in stack-allocated chunks. Thread-safe (static).
/// </summary>
public static class Gelu
{
    private const int Chunk = 256;
    private const float Coefficient = 0.044715f;
    private static readonly float s_sqrtTwoOverPi = MathF.Sqrt(2f / MathF.PI);

    /// <summary>Writes GELU(x) into <paramref name="y"/> (may alias <paramref name="x"/>).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(y.Length, x.Length);
        Span<float> buffer = stackalloc float[Chunk];
        var s = s_sqrtTwoOverPi;
        for (var start = 0; start < x.Length; start += Chunk)
        {
            var length = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, length);
            var t = buffer[..length];
            // t = tanh(x (s + s c x^2)); y = 0.5 x (1 + t).
            TensorPrimitives.Multiply(xs, xs, t);
            TensorPrimitives.Multiply(t, s * Coefficient, t);
            TensorPrimitives.Add(t, s, t);
            TensorPrimitives.Multiply(t, xs, t);
            TensorPrimitives.Tanh(t, t);
            TensorPrimitives.Add(t, 1f, t);
            TensorPrimitives.Multiply(t, xs, t);
            TensorPrimitives.Multiply(t, 0.5f, y.Slice(start, length));
        }
    }

    /// <summary>Writes <c>dx = dy * GELU'(x)</c> (<paramref name="dx"/> may alias <paramref name="dy"/>).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dy.Length, x.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(dx.Length, x.Length);
        Span<float> buffer = stackalloc float[3 * Chunk];
        var s = s_sqrtTwoOverPi;
        for (var start = 0; start < x.Length; start += Chunk)
        {
            var length = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, length);
            var slope = buffer[..length];
            var t = buffer.Slice(Chunk, length);
            var square = buffer.Slice(2 * Chunk, length);
            // GELU'(x) = 0.5 (1 + t) + 0.5 x (1 - t^2) s (1 + 3 c x^2).
            TensorPrimitives.Multiply(xs, xs, square);
            TensorPrimitives.Multiply(square, s * Coefficient, t);
            TensorPrimitives.Add(t, s, t);
            TensorPrimitives.Multiply(t, xs, t);
            TensorPrimitives.Tanh(t, t);
            TensorPrimitives.Multiply(square, 3f * s * Coefficient, slope);
            TensorPrimitives.Add(slope, s, slope);
            TensorPrimitives.Multiply(slope, xs, slope);
            TensorPrimitives.Multiply(slope, 0.5f, slope);
            TensorPrimitives.Multiply(t, t, square);
            TensorPrimitives.Subtract(1f, square, square);
            TensorPrimitives.Multiply(slope, square, slope);
            TensorPrimitives.Multiply(t, 0.5f, t);
            TensorPrimitives.Add(t, 0.5f, t);
            TensorPrimitives.Add(slope, t, slope);
            TensorPrimitives.Multiply(slope, dy.Slice(start, length), dx.Slice(start, length));
        }
    }
}
