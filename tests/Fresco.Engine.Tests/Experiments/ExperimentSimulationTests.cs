using Fresco.Engine.Experiments;
using MathNet.Numerics.Distributions;
using Xunit;

namespace Fresco.Engine.Tests.Experiments;

/// <summary>
/// The results code proven on a <see cref="SimulatedShop"/> over many seeds: an A/A flags p &lt; 0.05 at the nominal
/// rate for CTR (delta method), conversion and the sample ratio, while a naive impression-level test on the same data
/// does not; an A/B with a known lift is detected with the power the model predicts; a variant that loses users is
/// flagged by the sample-ratio check. Bounds are binomial (four standard deviations), never exact counts.
/// </summary>
public sealed class ExperimentSimulationTests
{
    private static Experiment Split(params string[] names) => new()
    {
        Scenario = "home",
        Variants = [.. names.Select(n => new ExperimentVariant { Name = n, Weight = 50 })],
        Start = DateTimeOffset.UnixEpoch,
        End = DateTimeOffset.UnixEpoch.AddDays(1),
    };

    /// <summary>How many of <paramref name="runs"/> independent tests at <paramref name="rate"/> may fire: mean ± 4 sd.</summary>
    private static (double Low, double High) Binomial(int runs, double rate)
    {
        var sd = Math.Sqrt(runs * rate * (1 - rate));
        return ((runs * rate) - (4 * sd), (runs * rate) + (4 * sd));
    }

    [Fact]
    public void AnAaTestFlagsAtTheNominalRateWhereANaiveImpressionLevelTestDoesNot()
    {
        const int runs = 400, users = 2000;
        var shop = new SimulatedShop();
        int ctr = 0, conversion = 0, revenue = 0, sampleRatio = 0, naive = 0;
        for (var seed = 0; seed < runs; seed++)
        {
            var definition = Split("a", "a2");
            var rows = shop.Run(seed, users, new CompiledExperiment($"aa-{seed}", definition));
            var results = ExperimentAnalysis.Analyze($"aa-{seed}", definition, rows);
            var (control, other) = (results.Variants[0], results.Variants[1]);
            ctr += other.PValue!.Ctr < 0.05 ? 1 : 0;
            conversion += other.PValue.ConversionRate < 0.05 ? 1 : 0;
            revenue += other.PValue.RevenuePerUser < 0.05 ? 1 : 0;
            sampleRatio += results.SampleRatioPValue < 0.05 ? 1 : 0;
            // Impressions as the unit: ignores that one user's impressions are correlated.
            naive += Estimators.TwoProportions(control.Clicks, control.Impressions, other.Clicks, other.Impressions)!.Value.PValue < 0.05 ? 1 : 0;
        }
        TestContext.Current.SendDiagnosticMessage($"A/A of {runs}: CTR {ctr}, conversion {conversion}, revenue {revenue}, SRM {sampleRatio}, naive {naive}");
        var (low, high) = Binomial(runs, 0.05);
        Assert.InRange(ctr, low, high);
        Assert.InRange(conversion, low, high);
        Assert.InRange(revenue, low, high);
        Assert.InRange(sampleRatio, low, high);
        Assert.True(naive > high, $"the naive test flagged {naive} of {runs}"); // the simulated users are heterogeneous enough to matter
    }

    [Fact]
    public void AnAbTestDetectsAKnownLiftWithTheExpectedPower()
    {
        const int runs = 200, users = 4300;
        const double lift = 1.10; // B's users click 10% more often
        var shop = new SimulatedShop { Lift = new Dictionary<string, double> { ["b"] = lift } };
        var se = shop.CtrStandardError(users / 2.0, lift);
        var delta = shop.MeanP * (lift - 1);
        var z = Normal.InvCDF(0, 1, 0.975);
        var expected = Normal.CDF(0, 1, (delta / se) - z) + Normal.CDF(0, 1, (-delta / se) - z);

        int detected = 0, covered = 0;
        for (var seed = 0; seed < runs; seed++)
        {
            var definition = Split("a", "b");
            var results = ExperimentAnalysis.Analyze($"ab-{seed}", definition, shop.Run(1000 + seed, users, new CompiledExperiment($"ab-{seed}", definition)));
            var b = results.Variants[1];
            detected += b.PValue!.Ctr < 0.05 && b.Difference!.Ctr > 0 ? 1 : 0;
            var interval = b.ConfidenceInterval!.Ctr!;
            covered += interval[0] <= delta && delta <= interval[1] ? 1 : 0;
        }
        TestContext.Current.SendDiagnosticMessage($"A/B of {runs}: detected {detected} (expected power {expected:F3}), interval covered the true lift {covered}");
        Assert.InRange(expected, 0.7, 0.9); // the design: a test of about 80% power
        var (low, high) = Binomial(runs, expected);
        Assert.InRange(detected, low, high);
        var (coverLow, coverHigh) = Binomial(runs, 0.95);
        Assert.InRange(covered, coverLow, Math.Min(runs, coverHigh));
    }

    [Fact]
    public void AVariantThatLosesUsersIsFlaggedBySampleRatio()
    {
        const int runs = 20, users = 20_000;
        var shop = new SimulatedShop(Lambda: 4) { DropVariant = "b", DropShare = 0.1 };
        var flagged = 0;
        for (var seed = 0; seed < runs; seed++)
        {
            var definition = Split("a", "b");
            var results = ExperimentAnalysis.Analyze($"srm-{seed}", definition, shop.Run(2000 + seed, users, new CompiledExperiment($"srm-{seed}", definition)));
            flagged += results.SampleRatioPValue < 0.001 ? 1 : 0;
        }
        Assert.Equal(runs, flagged); // the expected chi-squared is about 53 against 10.8 for p = 0.001
    }
}
