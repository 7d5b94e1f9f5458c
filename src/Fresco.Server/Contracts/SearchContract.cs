using Fresco.Engine.Training;
using Fresco.Evaluation.Tuning;

namespace Fresco.Server.Contracts;

/// <summary>
/// How one training run with <c>Training:Model = auto</c> chose its model. <see cref="Mode"/> <c>search</c>: the winning
/// kind and options of a search, its validation value, why it won, how long the search took and every candidate tried
/// with its options and validation metrics (or why it was skipped or failed). <c>retrain</c> (runs between searches,
/// <c>Training:SearchEvery</c>): the last winner trained again with the options stored with version
/// <see cref="FromVersion"/>; no validation and no candidates. <see cref="Version"/>: the stored version the run
/// produced (-1: none). Immutable value.
/// </summary>
public sealed record SearchContract(
    long Version,
    string Mode,
    string Winner,
    IReadOnlyDictionary<string, string> Options,
    double? Validation,
    string Why,
    double Seconds,
    IReadOnlyList<SelectionCandidate> Candidates,
    long? FromVersion = null,
    int RunsSinceSearch = 0)
{
    /// <summary>How <paramref name="report"/> chose its model, or null when it did not run <c>auto</c>.</summary>
    public static SearchContract? From(TrainingReport? report) => report switch
    {
        { Search: { } search } => new SearchContract(report.Outcome.Version, "search", search.Kind, search.Options.ToDictionary(),
            search.Value, search.Why, search.Duration.TotalSeconds, search.Candidates),
        { Retrain: { } retrain } => new SearchContract(report.Outcome.Version, "retrain", retrain.Kind, retrain.Options, null,
            retrain.Why, 0, [], retrain.FromVersion, retrain.RunsSinceSearch),
        _ => null,
    };
}
