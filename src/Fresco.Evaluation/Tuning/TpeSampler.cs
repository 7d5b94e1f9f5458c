using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011), per dimension: after the random startup
/// trials, the observations are split into the best <see cref="GoodFraction"/> and the rest; candidates are
/// drawn from the good set's Parzen estimate l(x) and the one maximizing l(x)/g(x) is proposed. Log-scale
/// ranges are modelled in log space, categorical ones by choice frequencies with a +1 prior. Deterministic
/// for a seed. Not thread-safe.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private readonly IReadOnlyList<SearchRange> _ranges;
    private readonly Random _random;

    public TpeSampler(IReadOnlyList<SearchRange> ranges, int seed)
    {
        _ranges = ranges;
        _random = new Random(seed);
    }

    public int StartupTrials { get; init; } = 10;

    public int Candidates { get; init; } = 24;

    public double GoodFraction { get; init; } = 0.25;

    public double[] Suggest(IReadOnlyList<Observation> history)
    {
        var valid = history.Where(o => double.IsFinite(o.Value)).ToArray();
        if (valid.Length < StartupTrials)
        {
            var point = new double[_ranges.Count];
            for (var d = 0; d < point.Length; d++)
            {
                point[d] = RandomSampler.Draw(_ranges[d], _random);
            }
            return point;
        }
        // Best first; a stable order keeps ties in trial order.
        var sorted = valid.Select((o, i) => (o, i)).OrderByDescending(p => p.o.Value).ThenBy(p => p.i).Select(p => p.o).ToArray();
        var goodCount = Math.Max(1, (int)Math.Ceiling(GoodFraction * sorted.Length));
        var good = sorted.AsSpan(0, goodCount);
        var bad = sorted.AsSpan(goodCount);

        var candidates = new double[Candidates][];
        var scores = new double[Candidates];
        for (var c = 0; c < Candidates; c++)
        {
            candidates[c] = new double[_ranges.Count];
        }
        for (var d = 0; d < _ranges.Count; d++)
        {
            var range = _ranges[d];
            if (range.IsCategorical)
            {
                var l = ChoiceProbabilities(range, good, d);
                var g = ChoiceProbabilities(range, bad, d);
                for (var c = 0; c < Candidates; c++)
                {
                    var choice = DrawChoice(l);
                    candidates[c][d] = choice;
                    scores[c] += Math.Log(l[choice]) - Math.Log(g[choice]);
                }
            }
            else
            {
                var (low, high) = SearchSpace.Bounds(range);
                var l = new ParzenEstimator(Coordinates(range, good, d), low, high);
                var g = new ParzenEstimator(Coordinates(range, bad, d), low, high);
                for (var c = 0; c < Candidates; c++)
                {
                    var x = l.Sample(_random);
                    candidates[c][d] = SearchSpace.FromInternal(range, x);
                    scores[c] += l.LogDensity(x) - g.LogDensity(x);
                }
            }
        }
        var best = 0;
        for (var c = 1; c < Candidates; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }
        return candidates[best];
    }

    private static double[] Coordinates(SearchRange range, ReadOnlySpan<Observation> observations, int dimension)
    {
        var xs = new double[observations.Length];
        for (var i = 0; i < xs.Length; i++)
        {
            xs[i] = SearchSpace.ToInternal(range, observations[i].Point[dimension]);
        }
        return xs;
    }

    private static double[] ChoiceProbabilities(SearchRange range, ReadOnlySpan<Observation> observations, int dimension)
    {
        var count = (int)range.High + 1;
        var weights = new double[count];
        weights.AsSpan().Fill(1.0);
        foreach (var o in observations)
        {
            weights[Math.Clamp((int)Math.Round(o.Point[dimension]), 0, count - 1)] += 1.0;
        }
        var total = weights.Sum();
        for (var i = 0; i < count; i++)
        {
            weights[i] /= total;
        }
        return weights;
    }

    private int DrawChoice(double[] probabilities)
    {
        var u = _random.NextDouble();
        for (var i = 0; i < probabilities.Length - 1; i++)
        {
            u -= probabilities[i];
            if (u < 0)
            {
                return i;
            }
        }
        return probabilities.Length - 1;
    }
}
