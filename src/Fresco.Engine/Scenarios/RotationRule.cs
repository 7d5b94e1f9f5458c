using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// Items shown to the user in the last <see cref="Hours"/> (above 0, at most a year) have their personal score multiplied
/// by <see cref="Factor"/> (above 0, at most 1), so the list moves between visits. What was shown comes from the
/// engine's impressions record. Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RotationRule
{
    public double Factor { get; init; }

    public double Hours { get; init; }
}
