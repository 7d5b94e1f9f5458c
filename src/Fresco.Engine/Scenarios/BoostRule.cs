using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// Multiplies the personal score of the items the rule matches by <see cref="Factor"/> (positive; several matching boosts
/// multiply). Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BoostRule : ItemRule
{
    public double Factor { get; init; } = 1;
}
