namespace Fresco.Engine.Experiments;

/// <summary>An experiment that cannot be stored (see <see cref="RuleException"/>).</summary>
public sealed class ExperimentException(string where, string reason) : RuleException(where, reason);
