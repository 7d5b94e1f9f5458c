namespace Fresco.Engine.Scenarios;

/// <summary>A scenario that cannot be served (see <see cref="RuleException"/>).</summary>
public sealed class ScenarioException(string where, string reason) : RuleException(where, reason);
