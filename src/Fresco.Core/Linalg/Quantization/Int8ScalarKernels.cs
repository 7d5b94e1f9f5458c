namespace Fresco.Core.Linalg.Quantization;

/// <summary>Scalar reference int8 kernels (and the SIMD paths' tails). Thread-safe (static, stateless).</summary>
internal static class Int8ScalarKernels
{
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>Subtracts the 128 offset per element, so it checks the SIMD paths' row-sum correction independently.</summary>
    public static void ScoreAll(QuantizedMatrix items, ReadOnlySpan<byte> query, float queryScale, Span<float> scores)
    {
        var scales = items.Scales;
        for (var i = 0; i < items.Rows; i++)
        {
            var row = items.Row(i);
            var dot = 0;
            for (var j = 0; j < row.Length; j++)
            {
                dot += (query[j] - Int8Quantizer.UnsignedOffset) * row[j];
            }
            scores[i] = Score(dot, scales[i], queryScale);
        }
    }

    /// <summary>The float step every path shares, in one operation order so that paths agree bit for bit.</summary>
    public static float Score(int dot, float rowScale, float queryScale) => (float)dot * rowScale * queryScale;
}
