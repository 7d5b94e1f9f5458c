using Fresco.Engine.Experiments;
using Fresco.Engine.Storage;
using MathNet.Numerics.Distributions;

namespace Fresco.Engine.Tests.Experiments;

/// <summary>
/// A seeded simulated shop whose users have known click probabilities: user i of a run has p ~ Beta(alpha, beta) and
/// sees 1 + Poisson(lambda) impressions; the user's variant (the real <see cref="CompiledExperiment"/> assignment)
/// multiplies p by its lift; each impression is clicked with probability p, each click carted with probability 0.3,
/// each cart bought with probability 0.5 for 20 to 100. <see cref="DropVariant"/> loses <see cref="DropShare"/> of that
/// variant's users from the record (broken assignment). Not thread-safe; the same seed gives the same rows.
/// </summary>
internal sealed record SimulatedShop(double Alpha = 1, double Beta = 9, double Lambda = 19)
{
    public IReadOnlyDictionary<string, double> Lift { get; init; } = new Dictionary<string, double>();

    public string? DropVariant { get; init; }

    public double DropShare { get; init; }

    public double MeanP => Alpha / (Alpha + Beta);

    public double VarianceP => Alpha * Beta / ((Alpha + Beta) * (Alpha + Beta) * (Alpha + Beta + 1));

    public double MeanImpressions => 1 + Lambda;

    public double MeanSquareImpressions => Lambda + (MeanImpressions * MeanImpressions);

    public List<ExperimentUserOutcome> Run(int seed, int users, CompiledExperiment experiment)
    {
        var random = new Random(seed);
        var rows = new List<ExperimentUserOutcome>(users);
        for (var u = 0; u < users; u++)
        {
            var userId = $"u{u}";
            var variant = experiment.Assign(userId).Variant;
            var p = Math.Min(1, MathNet.Numerics.Distributions.Beta.Sample(random, Alpha, Beta) * Lift.GetValueOrDefault(variant, 1.0));
            var impressions = 1 + Poisson.Sample(random, Lambda);
            long clicks = 0, carts = 0, purchases = 0;
            var revenue = 0.0;
            for (var i = 0; i < impressions; i++)
            {
                if (random.NextDouble() >= p)
                {
                    continue;
                }
                clicks++;
                if (random.NextDouble() < 0.3)
                {
                    carts++;
                    if (random.NextDouble() < 0.5)
                    {
                        purchases++;
                        revenue += 20 + (80 * random.NextDouble());
                    }
                }
            }
            var dropped = variant == DropVariant && random.NextDouble() < DropShare;
            if (!dropped)
            {
                rows.Add(new ExperimentUserOutcome(userId, variant, impressions, clicks, carts, purchases, revenue));
            }
        }
        return rows;
    }

    /// <summary>
    /// The standard error of the CTR difference the delta method estimates, from the known model: for a group with
    /// click probability scaled by <paramref name="lift"/>, n Var(ratio) = Var(X - p Y) / E[Y]^2 with
    /// Var(X - p Y) = E[Y] E[p (1 - p)] + E[Y^2] Var(p) (X binomial given Y and p, p independent of Y).
    /// </summary>
    public double CtrStandardError(double usersPerGroup, double liftB)
    {
        double Group(double lift)
        {
            var mean = MeanP * lift;
            var variance = VarianceP * lift * lift;
            return ((MeanImpressions * (mean - (variance + (mean * mean)))) + (MeanSquareImpressions * variance))
                / (MeanImpressions * MeanImpressions * usersPerGroup);
        }
        return Math.Sqrt(Group(1) + Group(liftB));
    }
}
