namespace Fresco.Evaluation;

/// <summary>How to evaluate: the protocol and its parameters, the cut-offs and the tuning budget.</summary>
/// <param name="Protocol">random | leave-last-out | temporal | given-split | kfold.</param>
/// <param name="TestFraction">Share of interactions (random), or of time (temporal), held out for test.</param>
/// <param name="Folds">Number of folds for k-fold cross-validation.</param>
/// <param name="Ks">Cut-offs at which every metric is reported.</param>
public sealed record EvaluationSettings(
    string Protocol = "random",
    double TestFraction = 0.2,
    int Seed = 42,
    int Folds = 5,
    IReadOnlyList<int>? Ks = null,
    bool Tune = false,
    int Trials = 30,
    string TuneMethod = "tpe",
    string TuneMetric = "NDCG@10")
{
    public IReadOnlyList<int> CutOffs => Ks ?? [10];
}
