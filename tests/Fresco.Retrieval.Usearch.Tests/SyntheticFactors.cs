using Fresco.Models.Als;
using Fresco.Models.Bpr;
using Fresco.Models.Factors;

namespace Fresco.Retrieval.Usearch.Tests;

/// <summary>
/// Factor models with the structure of trained ones: items around 64 taste centers with norms spread over
/// [0.5, 1.5] (popular items are longer), users near one center. Seeded; Gaussian noise by Box-Muller.
/// </summary>
internal static class SyntheticFactors
{
    public static AlsModel Als(int users, int items, int factors, int seed = 5)
    {
        var (userFactors, itemFactors) = Vectors(users, items, factors, seed);
        var gram = new float[factors * factors];
        for (var i = 0; i < items; i++)
        {
            var row = itemFactors.AsSpan(i * factors, factors);
            for (var a = 0; a < factors; a++)
            {
                for (var b = 0; b < factors; b++)
                {
                    gram[a * factors + b] += row[a] * row[b];
                }
            }
        }
        for (var a = 0; a < factors; a++)
        {
            gram[a * factors + a] += 1f;
        }
        return new AlsModel(new FactorModelBody(factors, userFactors, itemFactors, null, new Dictionary<string, string>()), gram, 1f, 1f);
    }

    public static BprModel Bpr(int users, int items, int factors, int seed = 5)
    {
        var (userFactors, itemFactors) = Vectors(users, items, factors, seed);
        var random = new Random(seed + 1);
        var bias = new float[items];
        for (var i = 0; i < items; i++)
        {
            bias[i] = (float)(2 * random.NextDouble() - 1);
        }
        return new BprModel(new FactorModelBody(factors, userFactors, itemFactors, bias, new Dictionary<string, string>()));
    }

    private static (float[] Users, float[] Items) Vectors(int users, int items, int factors, int seed)
    {
        var random = new Random(seed);
        const int Centers = 64;
        var centers = new float[Centers * factors];
        Fill(random, centers, 1f);
        var itemFactors = new float[items * factors];
        Fill(random, itemFactors, 0.6f);
        for (var i = 0; i < items; i++)
        {
            var scale = (float)(0.5 + random.NextDouble());
            var center = random.Next(Centers);
            for (var f = 0; f < factors; f++)
            {
                itemFactors[i * factors + f] = scale * (itemFactors[i * factors + f] + centers[center * factors + f]) / MathF.Sqrt(factors);
            }
        }
        var userFactors = new float[users * factors];
        Fill(random, userFactors, 0.5f);
        for (var u = 0; u < users; u++)
        {
            var center = random.Next(Centers);
            for (var f = 0; f < factors; f++)
            {
                userFactors[u * factors + f] += centers[center * factors + f];
            }
        }
        return (userFactors, itemFactors);
    }

    private static void Fill(Random random, float[] values, float deviation)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = deviation * (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
