using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>Uniform random search: each dimension uniform in its range (in log space for log-scale ranges). Not thread-safe.</summary>
public sealed class RandomSampler(IReadOnlyList<SearchRange> ranges, int seed) : ISampler
{
    private readonly Random _random = new(seed);

    public double[] Suggest(IReadOnlyList<Observation> history)
    {
        var point = new double[ranges.Count];
        for (var d = 0; d < point.Length; d++)
        {
            point[d] = Draw(ranges[d], _random);
        }
        return point;
    }

    /// <summary>One uniform draw from <paramref name="range"/>.</summary>
    internal static double Draw(SearchRange range, Random random)
    {
        if (range.IsCategorical)
        {
            return random.Next((int)range.High + 1);
        }
        var (low, high) = SearchSpace.Bounds(range);
        return SearchSpace.FromInternal(range, low + random.NextDouble() * (high - low));
    }
}
