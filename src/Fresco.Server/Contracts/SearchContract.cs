using Fresco.Engine.Training;
using Fresco.Evaluation.Tuning;

namespace Fresco.Server.Contracts;

/// <summary>
/// The model search of one training run with <c>Training:Model = auto</c>: the stored version it produced (-1: none),
/// the winning kind and options, its validation value, why it won, how long the search took and every candidate tried
/// with its options and validation metrics (or why it was skipped or failed). Immutable value.
/// </summary>
public sealed record SearchContract(
    long Version,
    string Winner,
    IReadOnlyDictionary<string, string> Options,
    double Validation,
    string Why,
    double Seconds,
    IReadOnlyList<SelectionCandidate> Candidates)
{
    /// <summary>The search of <paramref name="report"/>, or null when the run did not search.</summary>
    public static SearchContract? From(TrainingReport? report) =>
        report?.Search is not { } search ? null
            : new SearchContract(report.Outcome.Version, search.Kind, search.Options.ToDictionary(), search.Value, search.Why,
                search.Duration.TotalSeconds, search.Candidates);
}
