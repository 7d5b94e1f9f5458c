namespace Fresco.Engine;

/// <summary>
/// A definition that cannot be stored (a scenario's rules, an experiment's variants and times): <see cref="Where"/> is
/// the JSON path of the bad field (for example <c>Boosts[1].Expression</c> or <c>Variants[1].Weight</c>),
/// <see cref="Reason"/> what is wrong with it. Thrown when a definition is written, never when it is applied. Each kind
/// of definition has its own subclass, so a host can tell what was refused.
/// </summary>
public abstract class RuleException(string where, string reason) : ArgumentException($"{where}: {reason}")
{
    public string Where { get; } = where;

    public string Reason { get; } = reason;
}
