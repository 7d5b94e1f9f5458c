namespace Fresco.Core.Nn;

/// <summary>
/// GELU activation, tanh approximation: <c>0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))</c>.
/// Thread-safe (static).
/// </summary>
public static class Gelu
{
    private const float Coefficient = 0.044715f;
    private static readonly float s_sqrtTwoOverPi = MathF.Sqrt(2f / MathF.PI);

    /// <summary>Writes GELU(x) into <paramref name="y"/> (may alias <paramref name="x"/>).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            var t = MathF.Tanh(s_sqrtTwoOverPi * (v + Coefficient * v * v * v));
            y[i] = 0.5f * v * (1f + t);
        }
    }

    /// <summary>Writes <c>dx = dy * GELU'(x)</c> (<paramref name="dx"/> may alias <paramref name="dy"/>).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            var t = MathF.Tanh(s_sqrtTwoOverPi * (v + Coefficient * v * v * v));
            var inner = s_sqrtTwoOverPi * (1f + 3f * Coefficient * v * v);
            dx[i] = dy[i] * (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * inner);
        }
    }
}
