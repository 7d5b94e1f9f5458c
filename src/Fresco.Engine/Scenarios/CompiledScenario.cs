namespace Fresco.Engine.Scenarios;

/// <summary>
/// One stored version of a named scenario and its compiled <see cref="Rules"/>, as the serving path reads it: a new
/// version is a new object, swapped in atomically by <see cref="ScenarioRegistry"/>. Immutable.
/// </summary>
internal sealed record CompiledScenario(string Name, long Version, DateTimeOffset UpdatedAt, Scenario Definition, ScenarioRules Rules)
{
    public ScenarioVersion ToVersion() => new(Name, Version, UpdatedAt, Definition);
}
