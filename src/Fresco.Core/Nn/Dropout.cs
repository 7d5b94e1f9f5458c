using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// Inverted dropout: each element is kept with probability 1 - p and scaled by 1 / (1 - p), else zeroed. The
/// mask is a pure function of (seed, index), so a step is reproducible from its seed. Thread-safe (static).
/// </summary>
public static class Dropout
{
    /// <summary>Fills <paramref name="mask"/> with 0 or 1 / (1 - p) and writes <c>y = x * mask</c> (may alias).</summary>
    public static void Forward(ReadOnlySpan<float> x, float p, ulong seed, Span<float> mask, Span<float> y)
    {
        if (p is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        }
        var keep = 1f / (1f - p);
        for (var i = 0; i < mask.Length; i++)
        {
            // The top 24 bits of a SplitMix64 hash give a uniform float in [0, 1).
            var u = (Mix(seed + (ulong)i * 0x9E3779B97F4A7C15UL) >> 40) * (1f / (1 << 24));
            mask[i] = u >= p ? keep : 0f;
        }
        TensorPrimitives.Multiply(x, mask, y);
    }

    /// <summary>Writes <c>dx = dy * mask</c> (may alias).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx) =>
        TensorPrimitives.Multiply(dy, mask, dx);

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
