namespace Fresco.Evaluation.Metrics;

/// <summary>The metrics of one evaluation by name, and how many users they average over. Immutable.</summary>
public sealed record RankingEvaluation(IReadOnlyDictionary<string, double> Metrics, int Users);
