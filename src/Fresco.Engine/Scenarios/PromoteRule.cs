using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// <see cref="Share"/> (0 to 1) of the slots go to the best-scored items that <see cref="Filter"/> matches, at stable
/// positions: slot p (from 0) is promoted when floor((p + 1) x Share) &gt; floor(p x Share), so a share of 0.2 promotes
/// slots 4, 9, 14, ... whatever the page size. When fewer matching items are eligible, the other items fill the slots.
/// Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PromoteRule
{
    public ItemRule? Filter { get; init; }

    public double Share { get; init; }
}
