using Xunit;

namespace Fresco.Core.Tests.Linalg;

/// <summary>Seeded random inputs and the lengths every kernel test covers.</summary>
internal static class KernelData
{
    public static TheoryData<int> Lengths { get; } = [1, 7, 15, 16, 17, 63, 64, 65, 127, 129];

    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextSingle() * 2f - 1f;
        }
        return values;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var scale = Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
