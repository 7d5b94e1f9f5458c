using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// The business rules of one placement (home page, product page, cart, e-mail), applied to every list asked for with
/// <c>scenario={name}</c>, after scoring and before selection: <see cref="Filter"/> (which items are eligible),
/// <see cref="Boosts"/> (multiply the personal score of matching items), <see cref="Diversity"/> (at most k items of one
/// category per page), <see cref="Promote"/> (a share of the slots, at stable positions, for matching items),
/// <see cref="Rotation"/> (down-weight what the user was shown lately). <see cref="Model"/> is reserved: a scenario that
/// sets it is refused until it is built. Immutable value; the JSON shape of <c>PUT /api/scenarios/{name}</c> (unknown fields are refused).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Scenario
{
    public string? Model { get; init; }

    public ItemRule? Filter { get; init; }

    public IReadOnlyList<BoostRule>? Boosts { get; init; }

    public DiversityRule? Diversity { get; init; }

    public PromoteRule? Promote { get; init; }

    public RotationRule? Rotation { get; init; }
}
