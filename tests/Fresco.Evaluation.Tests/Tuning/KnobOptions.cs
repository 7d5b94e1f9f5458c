using Fresco.Core.Models;

namespace Fresco.Evaluation.Tests.Tuning;

/// <summary>Options with one tunable option of each kind, for search tests.</summary>
internal sealed class KnobOptions : ModelOptions
{
    public double Knob { get; set; } = 7;

    public int Steps { get; set; } = 50;

    public string Mode { get; set; } = "slow";

    public bool Untuned { get; set; }

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Real("knob", "a linear knob", () => Knob, v => Knob = v, 0, 10, SearchRange.Linear(0, 10)),
        Parameter.Integer("steps", "an integer in log scale", () => Steps, v => Steps = v, 1, 1000, SearchRange.Log(1, 1000)),
        Parameter.Choice("mode", "a categorical choice", () => Mode, v => Mode = v, ["slow", "fast", "odd"], tunable: true),
        Parameter.Boolean("untuned", "not searched", () => Untuned, v => Untuned = v),
    ];
}
