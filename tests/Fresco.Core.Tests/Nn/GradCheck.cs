using Xunit;

namespace Fresco.Core.Tests.Nn;

/// <summary>Seeded random buffers and central finite-difference gradient checks for the Nn kernels.</summary>
internal static class GradCheck
{
    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (random.NextSingle() * 2f - 1f) * scale;
        }
        return values;
    }

    /// <summary>The loss <c>sum(weights * y)</c> in double, whose gradient with respect to y is the weights.</summary>
    public static double Dot(ReadOnlySpan<float> weights, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (var i = 0; i < y.Length; i++)
        {
            sum += (double)weights[i] * y[i];
        }
        return sum;
    }

    /// <summary>
    /// Asserts that <paramref name="analytic"/> matches central differences of <paramref name="loss"/> with respect
    /// to every entry of <paramref name="input"/> (perturbed in place and restored).
    /// </summary>
    public static void Assert(float[] input, ReadOnlySpan<float> analytic, Func<double> loss, float step = 1e-2f, double tolerance = 2e-3)
    {
        Xunit.Assert.Equal(input.Length, analytic.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var saved = input[i];
            input[i] = saved + step;
            var plus = loss();
            input[i] = saved - step;
            var minus = loss();
            input[i] = saved;
            var numeric = (plus - minus) / (2.0 * step);
            var error = Math.Abs(numeric - analytic[i]);
            Xunit.Assert.True(error <= tolerance * Math.Max(1.0, Math.Abs(numeric)), $"entry {i}: numeric {numeric}, analytic {analytic[i]}");
        }
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-4f)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var scale = Math.Max(1f, Math.Abs(expected[i]));
            Xunit.Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
