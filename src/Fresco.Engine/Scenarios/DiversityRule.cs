using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// At most <see cref="MaxPerCategory"/> items of one category in the returned list (an item counts in each of its
/// categories): a greedy re-rank that otherwise keeps the best order. Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DiversityRule
{
    public int MaxPerCategory { get; init; }
}
