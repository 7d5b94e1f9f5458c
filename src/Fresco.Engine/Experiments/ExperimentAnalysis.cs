using Fresco.Engine.Storage;

namespace Fresco.Engine.Experiments;

/// <summary>
/// Turns per-user outcomes into <see cref="ExperimentResults"/>: sums and rates per variant, each variant compared with
/// the control (the first) by <see cref="Estimators"/> (CTR: delta method over per-user clicks and impressions;
/// conversion: two-proportion z-test over users with a purchase; revenue per user: Welch), and the sample-ratio check of
/// the users per variant against the weights. Rows of a variant the experiment does not define are ignored.
/// Thread-safe (stateless).
/// </summary>
public static class ExperimentAnalysis
{
    public static ExperimentResults Analyze(string name, Experiment definition, IReadOnlyList<ExperimentUserOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(outcomes);
        var variants = definition.Variants;
        var groups = variants.Select(_ => new List<ExperimentUserOutcome>()).ToArray();
        var index = variants.Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        foreach (var row in outcomes)
        {
            if (index.TryGetValue(row.Variant, out var i))
            {
                groups[i].Add(row);
            }
        }
        var results = new VariantResults[variants.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Summarize(variants[i].Name, groups[i], i == 0 ? null : groups[0]);
        }
        var sampleRatio = Estimators.SampleRatio([.. groups.Select(g => (long)g.Count)], [.. variants.Select(v => v.Weight)]);
        return new ExperimentResults(name, definition.Scenario, sampleRatio, results);
    }

    private static VariantResults Summarize(string name, List<ExperimentUserOutcome> rows, List<ExperimentUserOutcome>? control)
    {
        long users = rows.Count, impressions = rows.Sum(r => r.Impressions), clicks = rows.Sum(r => r.Clicks);
        long purchases = rows.Sum(r => r.Purchases), converted = rows.Count(r => r.Purchases > 0);
        var revenue = rows.Sum(r => r.Revenue);
        MetricValues? difference = null, p = null;
        MetricIntervals? interval = null;
        if (control is not null)
        {
            var ctr = Estimators.Ratios(Ratio(control), Ratio(rows));
            var conversion = Estimators.TwoProportions(control.Count(r => r.Purchases > 0), control.Count, converted, users);
            var perUser = Estimators.Means(Mean(control), Mean(rows));
            difference = new MetricValues(ctr?.Difference, conversion?.Difference, perUser?.Difference);
            interval = new MetricIntervals(Interval(ctr), Interval(conversion), Interval(perUser));
            p = new MetricValues(ctr?.PValue, conversion?.PValue, perUser?.PValue);
        }
        return new VariantResults(name, users, impressions, clicks, rows.Sum(r => r.Carts), purchases,
            impressions > 0 ? (double)clicks / impressions : null, users > 0 ? (double)converted / users : null,
            users > 0 ? revenue / users : null, difference, interval, p);
    }

    private static double[]? Interval(Estimate? estimate) => estimate is { } e ? [e.Low, e.High] : null;

    /// <summary>Two passes (means, then centred sums) for stable variances.</summary>
    private static RatioSample Ratio(List<ExperimentUserOutcome> rows)
    {
        if (rows.Count < 2)
        {
            return new RatioSample(rows.Count, 0, 0, 0, 0, 0);
        }
        double mx = rows.Average(r => (double)r.Clicks), my = rows.Average(r => (double)r.Impressions);
        double vx = 0, vy = 0, cxy = 0;
        foreach (var r in rows)
        {
            double dx = r.Clicks - mx, dy = r.Impressions - my;
            vx += dx * dx;
            vy += dy * dy;
            cxy += dx * dy;
        }
        var n1 = rows.Count - 1.0;
        return new RatioSample(rows.Count, mx, my, vx / n1, vy / n1, cxy / n1);
    }

    private static MeanSample Mean(List<ExperimentUserOutcome> rows)
    {
        if (rows.Count < 2)
        {
            return new MeanSample(rows.Count, 0, 0);
        }
        var mean = rows.Average(r => r.Revenue);
        return new MeanSample(rows.Count, mean, rows.Sum(r => (r.Revenue - mean) * (r.Revenue - mean)) / (rows.Count - 1.0));
    }
}
