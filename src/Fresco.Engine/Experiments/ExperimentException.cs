namespace Fresco.Engine.Experiments;

/// <summary>
/// An experiment that cannot be stored: <see cref="Where"/> is the JSON path of the bad field (for example
/// <c>Variants[1].Weight</c>), <see cref="Reason"/> what is wrong with it. Thrown when an experiment is written, never
/// when one assigns a user.
/// </summary>
public sealed class ExperimentException : ArgumentException
{
    public ExperimentException(string where, string reason)
        : base($"{where}: {reason}")
    {
        Where = where;
        Reason = reason;
    }

    public ExperimentException()
    {
        Where = "";
        Reason = "";
    }

    public ExperimentException(string message)
        : base(message)
    {
        Where = "";
        Reason = message;
    }

    public ExperimentException(string message, Exception innerException)
        : base(message, innerException)
    {
        Where = "";
        Reason = message;
    }

    public string Where { get; }

    public string Reason { get; }
}
