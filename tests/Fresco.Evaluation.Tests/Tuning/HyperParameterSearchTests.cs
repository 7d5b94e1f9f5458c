using Fresco.Core.Models;
using Fresco.Evaluation.Tuning;
using Xunit;

namespace Fresco.Evaluation.Tests.Tuning;

public sealed class HyperParameterSearchTests
{
    [Fact]
    public void FindsTheBestOptionsAndStartsFromTheDefaults()
    {
        var defaults = new KnobOptions { Knob = 9, Steps = 1 };
        var outcome = Search(defaults, "tpe", 30, seed: 3, Objective);
        Assert.Equal(30, outcome.Trials.Count);
        Assert.Equal("9", outcome.Trials[0].Options["knob"]);
        Assert.Equal("1", outcome.Trials[0].Options["steps"]);
        var best = (KnobOptions)outcome.Best;
        Assert.InRange(best.Knob, 2.5, 3.5);
        Assert.Equal("fast", best.Mode);
        Assert.Equal(outcome.Trials.Max(t => t.Value!.Value), outcome.BestValue);
        Assert.Equal(9, defaults.Knob);
    }

    [Fact]
    public void NeverWorseThanTheDefaults()
    {
        var defaults = new KnobOptions { Knob = 3, Steps = 10, Mode = "fast" };
        var outcome = Search(defaults, "random", 5, seed: 1, Objective);
        Assert.True(outcome.BestValue >= Objective(defaults));
    }

    [Fact]
    public void FailedTrialsAreRecordedAndSkipped()
    {
        var outcome = Search(new KnobOptions { Knob = 1 }, "random", 12, seed: 2,
            o => ((KnobOptions)o).Knob > 5 ? throw new InvalidOperationException("too big") : 1.0);
        Assert.Contains(outcome.Trials, t => t.Error == "too big" && t.Value is null);
        Assert.True(((KnobOptions)outcome.Best).Knob <= 5);
    }

    [Fact]
    public void DefaultsThatFailMakeTheSearchFail() =>
        Assert.Throws<InvalidOperationException>(() =>
            Search(new KnobOptions(), "tpe", 3, seed: 2, _ => throw new InvalidOperationException("broken")));

    [Fact]
    public void SameSeedSameTrials()
    {
        var a = Search(new KnobOptions(), "tpe", 15, seed: 8, Objective);
        var b = Search(new KnobOptions(), "tpe", 15, seed: 8, Objective);
        Assert.Equal(a.Trials.Select(t => t.Options["knob"]), b.Trials.Select(t => t.Options["knob"]));
    }

    [Fact]
    public void UnknownMethodIsAnOptionError() =>
        Assert.Throws<OptionException>(() => Search(new KnobOptions(), "grid", 3, 1, Objective));

    private static TuningOutcome Search(ModelOptions defaults, string method, int trials, int seed, Func<ModelOptions, double> objective) =>
        HyperParameterSearch.Run(defaults, method, trials, seed, objective, cancellationToken: TestContext.Current.CancellationToken);

    private static double Objective(ModelOptions options)
    {
        var o = (KnobOptions)options;
        return -Math.Pow(o.Knob - 3, 2) - Math.Abs(Math.Log(o.Steps / 10.0)) - (o.Mode == "fast" ? 0 : 2);
    }
}
