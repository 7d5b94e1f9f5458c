using System.Text.Json.Serialization;

namespace Fresco.Engine.Experiments;

/// <summary>
/// One arm of an <see cref="Experiment"/>: its <see cref="Name"/>, its share of the users (<see cref="Weight"/> over the
/// sum of the weights) and what it changes: the scenario whose rules answer (<see cref="Scenario"/>; null: the
/// experiment's) and the model kind or version that scores (<see cref="Model"/>; null: the scenario's). Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ExperimentVariant
{
    public string Name { get; init; } = "";

    public int Weight { get; init; }

    public string? Scenario { get; init; }

    public string? Model { get; init; }
}
