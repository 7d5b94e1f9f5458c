namespace Fresco.Engine.Scenarios;

/// <summary>
/// One stored version of a named scenario: every change is a new version, numbered by the store (increasing across all
/// scenarios, never reused). Immutable value.
/// </summary>
public sealed record ScenarioVersion(string Name, long Version, DateTimeOffset UpdatedAt, Scenario Definition);
