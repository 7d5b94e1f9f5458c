namespace Fresco.Evaluation.Tuning;

/// <summary>
/// One candidate a <see cref="ModelSelection"/> tried: its kind and options, its validation metrics (empty when it
/// failed), how long it took to train and score, and why it failed (null: it did not). Immutable value.
/// </summary>
public sealed record SelectionCandidate(
    string Kind,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, double> Validation,
    double Seconds,
    string? Error = null);
