using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// Reserved: items shown to the user in the last <see cref="Hours"/> down-weighted by <see cref="Factor"/>. It needs the
/// impressions record, which is not built yet, so a scenario that sets it is refused. Immutable value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RotationRule
{
    public double Factor { get; init; }

    public double Hours { get; init; }
}
