namespace Fresco.Core.Tests.Linalg.Quantization;

/// <summary>Seeded standard-normal inputs (Box-Muller), the shape of trained factor vectors.</summary>
internal static class QuantizationData
{
    public static float[] Gaussian(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            var u = 1.0 - random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
        }
        return values;
    }
}
