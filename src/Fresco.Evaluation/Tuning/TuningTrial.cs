namespace Fresco.Evaluation.Tuning;

/// <summary>One trial of a search: its number (1-based), the options tried, the validation metric reached (null when it failed) and why it failed. Immutable.</summary>
public sealed record TuningTrial(int Number, IReadOnlyDictionary<string, string> Options, double? Value, string? Error = null);
