namespace Fresco.Evaluation.Tuning;

/// <summary>
/// How <see cref="ModelSelection"/> searches: the model kinds to try (in this order), the validation metric (a
/// <see cref="Metrics.RankingEvaluator"/> name such as <c>NDCG@10</c>, case-insensitive), the wall-clock budget, the
/// most trials in all, the options every kind gets (<c>name=value</c>, e.g. threads) and the seed. Immutable value.
/// </summary>
public sealed record SelectionSettings(
    IReadOnlyList<string> Kinds,
    string Metric,
    TimeSpan Budget,
    int MaxTrials,
    IReadOnlyList<string> CommonOptions,
    int Seed = 1);
