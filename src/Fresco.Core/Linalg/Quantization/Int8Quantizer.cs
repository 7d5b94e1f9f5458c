using System.Numerics.Tensors;

namespace Fresco.Core.Linalg.Quantization;

/// <summary>
/// Symmetric per-vector int8 quantization: scale = max|x| / 127, q = round(x / scale) clamped to [-127, 127],
/// so x ~ q * scale with |x - q * scale| &lt;= scale / 2. An all-zero vector gets scale 0 and q = 0.
/// Thread-safe (static, stateless); no allocation.
/// </summary>
public static class Int8Quantizer
{
    /// <summary>Offset that turns a signed code q in [-127, 127] into the unsigned byte q + 128 that vpdpbusd needs.</summary>
    public const int UnsignedOffset = 128;

    /// <summary>Quantizes <paramref name="values"/> into <paramref name="destination"/> (zeros beyond values.Length); returns the scale.</summary>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> destination)
    {
        if (destination.Length < values.Length)
        {
            throw new ArgumentException("Destination is shorter than the values.", nameof(destination));
        }
        var scale = ScaleOf(values);
        var inverse = scale == 0f ? 0f : 1f / scale;
        for (var j = 0; j < values.Length; j++)
        {
            destination[j] = (sbyte)Code(values[j], inverse);
        }
        destination[values.Length..].Clear();
        return scale;
    }

    /// <summary>
    /// Quantizes a query as unsigned bytes q + 128 (128 beyond values.Length, i.e. code 0), the operand layout
    /// <see cref="Int8Kernels.ScoreAll"/> takes; returns the scale. Call per query into caller scratch of at
    /// least <see cref="QuantizedMatrix.Stride"/> bytes.
    /// </summary>
    public static float QuantizeUnsigned(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (destination.Length < values.Length)
        {
            throw new ArgumentException("Destination is shorter than the values.", nameof(destination));
        }
        var scale = ScaleOf(values);
        var inverse = scale == 0f ? 0f : 1f / scale;
        for (var j = 0; j < values.Length; j++)
        {
            destination[j] = (byte)(Code(values[j], inverse) + UnsignedOffset);
        }
        destination[values.Length..].Fill(UnsignedOffset);
        return scale;
    }

    private static float ScaleOf(ReadOnlySpan<float> values) =>
        values.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(values)) / 127f;

    private static int Code(float value, float inverseScale) =>
        Math.Clamp((int)MathF.Round(value * inverseScale), -127, 127);
}
