namespace Fresco.Engine.Scenarios;

/// <summary>
/// A scenario that cannot be served: <see cref="Where"/> is the JSON path of the bad field (for example
/// <c>Boosts[1].Expression</c>), <see cref="Reason"/> what is wrong with it. Thrown when a scenario is written, never
/// when one is applied.
/// </summary>
public sealed class ScenarioException : ArgumentException
{
    public ScenarioException(string where, string reason)
        : base($"{where}: {reason}")
    {
        Where = where;
        Reason = reason;
    }

    public ScenarioException()
    {
        Where = "";
        Reason = "";
    }

    public ScenarioException(string message)
        : base(message)
    {
        Where = "";
        Reason = message;
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
        Where = "";
        Reason = message;
    }

    public string Where { get; }

    public string Reason { get; }
}
