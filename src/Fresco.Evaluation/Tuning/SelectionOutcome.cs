using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>
/// The result of a <see cref="ModelSelection"/>: the winning kind and options (a new instance), its validation value,
/// every candidate tried in order, why the winner won, and how long the search took. Immutable value.
/// </summary>
public sealed record SelectionOutcome(
    string Kind,
    ModelOptions Options,
    double Value,
    IReadOnlyList<SelectionCandidate> Candidates,
    string Why,
    TimeSpan Duration);
