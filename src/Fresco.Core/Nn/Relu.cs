using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>Rectified linear unit, <c>max(x, 0)</c>. Thread-safe (static).</summary>
public static class Relu
{
    /// <summary>Writes max(x, 0) into <paramref name="y"/> (may alias <paramref name="x"/>).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>Writes <c>dx = dy</c> where x &gt; 0, else 0 (<paramref name="dx"/> may alias <paramref name="dy"/>).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (var i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > 0f ? dy[i] : 0f;
        }
    }
}
