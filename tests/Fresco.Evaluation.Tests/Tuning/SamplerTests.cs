using Fresco.Core.Models;
using Fresco.Evaluation.Tuning;
using Xunit;

namespace Fresco.Evaluation.Tests.Tuning;

public sealed class SamplerTests
{
    private static (double[] Point, double Value) Maximize(ISampler sampler, Func<double[], double> objective, int trials)
    {
        var history = new List<Observation>();
        for (var t = 0; t < trials; t++)
        {
            var point = sampler.Suggest(history);
            history.Add(new Observation(point, objective(point)));
        }
        var best = history.MaxBy(o => o.Value)!;
        return (best.Point, best.Value);
    }

    private static double Parabola(double[] p) => -(p[0] - 3) * (p[0] - 3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TpeGetsCloseToTheOptimumOfAParabola(bool logScale)
    {
        SearchRange range = logScale ? SearchRange.Log(0.01, 100) : SearchRange.Linear(0, 10);
        var (point, _) = Maximize(new TpeSampler([range], seed: 1), Parabola, trials: 40);
        Assert.InRange(point[0], 2.9, 3.1);
    }

    [Fact]
    public void TpeBeatsRandomSearchOnAverageInContinuousSpace()
    {
        SearchRange[] ranges = [SearchRange.Log(0.01, 100), SearchRange.Linear(-5, 5)];
        static double Objective(double[] p) => -Math.Pow(Math.Log(p[0] / 3), 2) - 0.1 * p[1] * p[1];
        var (tpe, random) = MeanRegrets(ranges, Objective, trials: 40);
        Assert.True(tpe < 0.25 * random, $"TPE regret {tpe:F4}, random {random:F4}");
    }

    [Fact]
    public void TpeBeatsRandomSearchOnAverageWithACategoricalDimension()
    {
        SearchRange[] ranges = [SearchRange.Log(0.01, 100), SearchRange.Linear(-5, 5), SearchRange.Categorical(4)];
        static double Objective(double[] p) =>
            -Math.Pow(Math.Log(p[0] / 3), 2) - 0.1 * p[1] * p[1] - (p[2] == 2 ? 0 : 1);
        var (tpe, random) = MeanRegrets(ranges, Objective, trials: 40);
        Assert.True(tpe < 0.8 * random, $"TPE regret {tpe:F4}, random {random:F4}");
    }

    private static (double Tpe, double Random) MeanRegrets(SearchRange[] ranges, Func<double[], double> objective, int trials)
    {
        const int Seeds = 10;
        double tpe = 0, random = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            tpe -= Maximize(new TpeSampler(ranges, seed), objective, trials).Value;
            random -= Maximize(new RandomSampler(ranges, seed), objective, trials).Value;
        }
        return (tpe / Seeds, random / Seeds);
    }

    [Fact]
    public void SamplesStayInRangeAndRepeatWithTheSeed()
    {
        SearchRange[] ranges = [SearchRange.Log(0.5, 8), SearchRange.Linear(2, 3), SearchRange.Categorical(3)];
        var a = new TpeSampler(ranges, seed: 4);
        var b = new TpeSampler(ranges, seed: 4);
        var history = new List<Observation>();
        for (var t = 0; t < 30; t++)
        {
            var p = a.Suggest(history);
            Assert.Equal(p, b.Suggest(history));
            Assert.InRange(p[0], 0.5, 8);
            Assert.InRange(p[1], 2, 3);
            Assert.Contains(p[2], new[] { 0.0, 1.0, 2.0 });
            history.Add(new Observation(p, -p[0] + p[1]));
        }
    }

    [Fact]
    public void ParzenDensityIntegratesToOne()
    {
        var estimator = new ParzenEstimator([0.2, 0.25, 0.9], 0, 1);
        const int Steps = 20000;
        var integral = 0.0;
        for (var i = 0; i < Steps; i++)
        {
            integral += Math.Exp(estimator.LogDensity((i + 0.5) / Steps)) / Steps;
        }
        Assert.Equal(1.0, integral, 1e-3);
    }
}
