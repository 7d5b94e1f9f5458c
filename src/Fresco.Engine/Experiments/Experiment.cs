using System.Text.Json.Serialization;

namespace Fresco.Engine.Experiments;

/// <summary>
/// An A/B experiment on the requests of one <see cref="Scenario"/>: between <see cref="Start"/> (inclusive) and
/// <see cref="End"/> (exclusive) each user is assigned to one of the <see cref="Variants"/> by a hash of (experiment
/// name, user id) in proportion to the weights, and answered as that variant says. The first variant is the control the
/// others are compared with. Immutable value; the JSON shape of <c>PUT /api/experiments/{name}</c> (unknown fields are
/// refused).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Experiment
{
    public string Scenario { get; init; } = "";

    public IReadOnlyList<ExperimentVariant> Variants { get; init; } = [];

    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }
}
