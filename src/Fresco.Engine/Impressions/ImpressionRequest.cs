using Fresco.Engine.Serving;

namespace Fresco.Engine.Impressions;

/// <summary>
/// An answer a host is about to send, to be recorded as an impression: the user it is for (null: anonymous), the
/// scenario the query named (null: none), the list as the engine answered it, and the experiment and variant the host
/// assigned the user (null outside experiments). Immutable value.
/// </summary>
public sealed record ImpressionRequest(string? UserId, string? Scenario, IReadOnlyList<ScoredId> Items)
{
    public string? Experiment { get; init; }

    public string? Variant { get; init; }
}
