using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// Which items a rule matches: all of the conditions that are set. <see cref="Categories"/>, <see cref="Labels"/>: the
/// item has at least one of them; <see cref="ExcludeCategories"/>, <see cref="ExcludeLabels"/>: it has none of them;
/// <see cref="MaxAgeDays"/>: its timestamp is at most that many days before the request; <see cref="Expression"/>: a
/// CEL expression over the item's fields (<c>ItemId</c>, <c>Categories</c>, <c>Labels</c>, <c>Timestamp</c>,
/// <c>IsHidden</c>, <c>Comment</c>) that yields a bool. A rule with no condition matches every item. Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public record ItemRule
{
    public IReadOnlyList<string>? Categories { get; init; }

    public IReadOnlyList<string>? Labels { get; init; }

    public IReadOnlyList<string>? ExcludeCategories { get; init; }

    public IReadOnlyList<string>? ExcludeLabels { get; init; }

    public double? MaxAgeDays { get; init; }

    public string? Expression { get; init; }
}
