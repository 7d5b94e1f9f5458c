using System.Numerics.Tensors;

namespace Fresco.Core.Linalg;

/// <summary>
/// Small vector kernels over contiguous float spans, through <see cref="TensorPrimitives"/> (SIMD, with its
/// own scalar tail). Thread-safe (static, stateless).
/// </summary>
public static class Vectors
{
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => TensorPrimitives.Dot(x, y);

    /// <summary>y += alpha * x.</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float alpha, Span<float> y) =>
        TensorPrimitives.MultiplyAdd(x, alpha, y, y);
}
