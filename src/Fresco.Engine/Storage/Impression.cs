namespace Fresco.Engine.Storage;

/// <summary>
/// One recommendation answer as it was shown: its id (the <c>X-Recommendation-Id</c>), the user it was for (null for an
/// anonymous list: a session, neighbours, a non-personalised list), the scenario and its version, the experiment and
/// variant the user was assigned (null outside experiments), the item ids in the order shown, and when. Immutable value.
/// </summary>
public sealed record Impression(
    string Id,
    string? UserId,
    string? Scenario,
    long? ScenarioVersion,
    string? Experiment,
    string? Variant,
    IReadOnlyList<string> ItemIds,
    DateTimeOffset Time);
