using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>The result of a search: the best options (a new instance), their validation metric and every trial in order. Immutable.</summary>
public sealed record TuningOutcome(ModelOptions Best, double BestValue, IReadOnlyList<TuningTrial> Trials);
