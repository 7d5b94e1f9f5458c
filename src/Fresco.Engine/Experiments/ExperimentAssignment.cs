namespace Fresco.Engine.Experiments;

/// <summary>
/// How a request is answered under a running experiment: the experiment and variant the user is in, the scenario whose
/// rules answer, the model kind or version that scores (null: the scenario's) and <see cref="Header"/>, the
/// <c>X-Experiment-Variant</c> value <c>{experiment}/{variant}</c>. One instance per variant, built when the experiment is
/// loaded, so an assignment allocates nothing. Immutable.
/// </summary>
public sealed record ExperimentAssignment(string Experiment, string Variant, string Scenario, string? Model)
{
    public string Header { get; } = $"{Experiment}/{Variant}";
}
