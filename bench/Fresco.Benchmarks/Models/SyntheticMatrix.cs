using Fresco.Core.Data;

namespace Fresco.Benchmarks.Models;

/// <summary>A seeded users x items implicit matrix with Zipf-like item popularity, for in-process benchmarks.</summary>
internal static class SyntheticMatrix
{
    public static CsrMatrix Create(int users, int items, int perUser, int seed = 1)
    {
        var random = new Random(seed);
        var cumulative = new double[items];
        var sum = 0.0;
        for (var i = 0; i < items; i++)
        {
            sum += Math.Pow(i + 1, -0.9);
            cumulative[i] = sum;
        }
        var builder = new CsrBuilder(users, items);
        for (var u = 0; u < users; u++)
        {
            var count = Math.Max(1, (int)(perUser * Math.Exp(random.NextDouble() * 2 - 1)));
            for (var j = 0; j < count; j++)
            {
                var position = Array.BinarySearch(cumulative, random.NextDouble() * sum);
                var item = position >= 0 ? position : Math.Min(items - 1, ~position);
                builder.Add(u, (item * 7919) % items, 1f);
            }
        }
        return builder.Build();
    }
}
