using MathNet.Numerics.Distributions;

namespace Fresco.Engine.Experiments;

/// <summary>
/// The estimators of experiment results, on per-user samples (the user is the unit of randomisation), each a normal
/// approximation with a 95% interval and a two-sided p-value; the distributions are MathNet.Numerics'. Null where a test
/// is undefined (fewer than two users in a group, no impressions). Thread-safe (stateless).
/// </summary>
public static class Estimators
{
    private static readonly double s_z95 = Normal.InvCDF(0, 1, 0.975);

    /// <summary>
    /// Two-proportion z-test over users: pooled variance for the p-value, unpooled (Wald) for the interval (Kohavi, Tang,
    /// Xu 2020, "Trustworthy Online Controlled Experiments", ch. 17).
    /// </summary>
    public static Estimate? TwoProportions(long successA, long usersA, long successB, long usersB)
    {
        if (usersA < 2 || usersB < 2)
        {
            return null;
        }
        double pA = (double)successA / usersA, pB = (double)successB / usersB;
        var pooled = (double)(successA + successB) / (usersA + usersB);
        var seTest = Math.Sqrt(pooled * (1 - pooled) * (1.0 / usersA + 1.0 / usersB));
        var se = Math.Sqrt((pA * (1 - pA) / usersA) + (pB * (1 - pB) / usersB));
        return Compare(pB - pA, se, seTest);
    }

    /// <summary>
    /// Difference of two ratios of per-user sums (clicks over impressions), the variance of each ratio by the delta method
    /// (Deng, Knoblich, Lu 2018, "Applying the Delta Method in Metric Analytics", KDD, section 3.1).
    /// </summary>
    public static Estimate? Ratios(RatioSample a, RatioSample b)
    {
        if (a.Users < 2 || b.Users < 2 || a.MeanY <= 0 || b.MeanY <= 0)
        {
            return null;
        }
        var se = Math.Sqrt(RatioVariance(a) + RatioVariance(b));
        return Compare((b.MeanX / b.MeanY) - (a.MeanX / a.MeanY), se, se);
    }

    /// <summary>Difference of two means with Welch's unequal variances, normal approximation (Welch 1947, Biometrika 34).</summary>
    public static Estimate? Means(MeanSample a, MeanSample b)
    {
        if (a.Users < 2 || b.Users < 2)
        {
            return null;
        }
        var se = Math.Sqrt((a.Variance / a.Users) + (b.Variance / b.Users));
        return Compare(b.Mean - a.Mean, se, se);
    }

    /// <summary>
    /// Sample-ratio mismatch: Pearson's chi-squared goodness of fit of the users per variant against the configured weights,
    /// k - 1 degrees of freedom (Fabijan et al. 2019, "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments",
    /// KDD). Null without users.
    /// </summary>
    public static double? SampleRatio(IReadOnlyList<long> users, IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(weights);
        double total = users.Sum(), weight = weights.Sum();
        if (total == 0 || users.Count != weights.Count || users.Count < 2)
        {
            return null;
        }
        var chi2 = 0.0;
        for (var i = 0; i < users.Count; i++)
        {
            var expected = total * weights[i] / weight;
            chi2 += (users[i] - expected) * (users[i] - expected) / expected;
        }
        return ChiSquared.CDF(users.Count - 1, chi2) is var cdf ? 1 - cdf : null;
    }

    private static double RatioVariance(RatioSample s) =>
        ((s.VarianceX / (s.MeanY * s.MeanY)) - (2 * s.MeanX * s.Covariance / (s.MeanY * s.MeanY * s.MeanY))
            + (s.MeanX * s.MeanX * s.VarianceY / (s.MeanY * s.MeanY * s.MeanY * s.MeanY))) / s.Users;

    private static Estimate Compare(double difference, double se, double seTest)
    {
        var p = seTest > 0 ? 2 * Normal.CDF(0, 1, -Math.Abs(difference / seTest)) : difference == 0 ? 1 : 0;
        return new Estimate(difference, difference - (s_z95 * se), difference + (s_z95 * se), p);
    }
}

/// <summary>Per-user X (clicks) and Y (impressions) of one group: means, sample variances and covariance. Immutable value.</summary>
public readonly record struct RatioSample(long Users, double MeanX, double MeanY, double VarianceX, double VarianceY, double Covariance);

/// <summary>A per-user value of one group: its mean and sample variance. Immutable value.</summary>
public readonly record struct MeanSample(long Users, double Mean, double Variance);
