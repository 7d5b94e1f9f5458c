using Fresco.Engine.Experiments;
using Xunit;

namespace Fresco.Engine.Tests.Experiments;

/// <summary>The estimators against values worked out by hand (the normal tail with Python's statistics.NormalDist).</summary>
public sealed class EstimatorsTests
{
    [Fact]
    public void TwoProportionsPoolsForThePValueAndNotForTheInterval()
    {
        // 100 of 1000 against 130 of 1000: pooled 0.115, z = 0.03 / sqrt(0.115 * 0.885 * 0.002) = 2.1027, p = 0.03549.
        var e = Estimators.TwoProportions(100, 1000, 130, 1000)!.Value;
        Assert.Equal(0.03, e.Difference, 12);
        Assert.Equal(0.03549, e.PValue, 4);
        var se = Math.Sqrt((0.1 * 0.9 / 1000) + (0.13 * 0.87 / 1000));
        Assert.Equal(0.03 - (1.959964 * se), e.Low, 6);
        Assert.Equal(0.03 + (1.959964 * se), e.High, 6);
        Assert.Null(Estimators.TwoProportions(0, 1, 1, 10));
    }

    [Fact]
    public void WithEqualImpressionsPerUserTheDeltaMethodIsTheMeanOfPerUserRates()
    {
        // Y constant = m: Var(X / m mean) = Var(X) / (m^2 n), the plain standard error of the per-user rates.
        double[] a = [0, 1, 2, 3, 1, 0, 2], b = [2, 3, 1, 4, 5, 2, 3, 4];
        const double m = 10;
        var estimate = Estimators.Ratios(Sample(a, m), Sample(b, m))!.Value;
        var means = Estimators.Means(Mean(a.Select(x => x / m)), Mean(b.Select(x => x / m)))!.Value;
        Assert.Equal(means.Difference, estimate.Difference, 12);
        Assert.Equal(means.Low, estimate.Low, 12);
        Assert.Equal(means.PValue, estimate.PValue, 12);
        Assert.Null(Estimators.Ratios(Sample(a, 0), Sample(b, m)));
    }

    [Fact]
    public void TheSampleRatioTestIsPearsonsChiSquared()
    {
        // 5000 / 4700 against 50:50: chi2 = 2 * 150^2 / 4850 = 9.2784, df 1: p = 2 (1 - Phi(sqrt(9.2784))) = 0.002319.
        Assert.Equal(0.002319, Estimators.SampleRatio([5000, 4700], [50, 50])!.Value, 5);
        Assert.Equal(1.0, Estimators.SampleRatio([100, 200, 700], [1, 2, 7])!.Value, 12);
        Assert.Null(Estimators.SampleRatio([0, 0], [1, 1]));
    }

    private static RatioSample Sample(double[] clicks, double impressions)
    {
        var mean = clicks.Average();
        return new RatioSample(clicks.Length, mean, impressions, clicks.Sum(x => (x - mean) * (x - mean)) / (clicks.Length - 1), 0, 0);
    }

    private static MeanSample Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return new MeanSample(list.Count, mean, list.Sum(x => (x - mean) * (x - mean)) / (list.Count - 1));
    }
}
