namespace Fresco.Engine.Experiments;

/// <summary>
/// A stored experiment as the API shows it: its definition, when it was written and its <see cref="Status"/> at the time
/// of reading (<c>scheduled</c> before <see cref="Experiment.Start"/>, <c>running</c>, <c>ended</c> from
/// <see cref="Experiment.End"/> on). Immutable value.
/// </summary>
public sealed record ExperimentInfo(string Name, DateTimeOffset UpdatedAt, string Status, Experiment Definition)
{
    public static string StatusAt(Experiment definition, DateTimeOffset now) =>
        now < definition.Start ? "scheduled" : now < definition.End ? "running" : "ended";
}
