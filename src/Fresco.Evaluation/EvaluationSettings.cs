using System.Globalization;
using Fresco.Core.Models;
using Fresco.Evaluation.Tuning;

namespace Fresco.Evaluation;

/// <summary>How to evaluate: the protocol and its parameters, the cut-offs and the tuning budget. Immutable.</summary>
/// <param name="Protocol">random | leave-last-out | temporal | given-split | kfold.</param>
/// <param name="TestFraction">Share of interactions held out for test: chosen at random (random) or the latest (temporal).</param>
/// <param name="Folds">Number of folds for k-fold cross-validation.</param>
/// <param name="Ks">Cut-offs at which every metric is reported.</param>
/// <param name="TuneMethod">tpe | random.</param>
/// <param name="TuneMetric">The metric tuning maximizes on the validation split, such as "NDCG@10".</param>
/// <param name="OnValidation">
/// Train on the validation split's training part and score on its validation part (the split <see cref="Tune"/>
/// searches on, carved from each split's training part) instead of the test: the test part is never read. How
/// defaults are chosen (bench/defaults.sh).
/// </param>
public sealed record EvaluationSettings(
    string Protocol = "random",
    double TestFraction = 0.2,
    int Seed = 42,
    int Folds = 5,
    IReadOnlyList<int>? Ks = null,
    bool Tune = false,
    int Trials = 30,
    string TuneMethod = "tpe",
    string TuneMetric = "NDCG@10",
    bool OnValidation = false)
{
    public static readonly IReadOnlyList<string> MetricNames = ["HR", "Recall", "Precision", "NDCG", "MAP", "MRR", "Coverage"];

    public IReadOnlyList<int> CutOffs => Ks ?? [10];

    /// <summary>Checks every setting; throws an <see cref="OptionException"/> that says what is valid.</summary>
    public void Validate()
    {
        EvaluationProtocol.Normalize(Protocol);
        if (!(TestFraction > 0 && TestFraction < 1))
        {
            throw new OptionException($"Test fraction {TestFraction} is not valid: expected a number strictly between 0 and 1.");
        }
        if (Folds < 2)
        {
            throw new OptionException($"{Folds} folds is not valid: expected at least 2 for k-fold.");
        }
        if (CutOffs.Count == 0 || CutOffs.Any(k => k <= 0))
        {
            throw new OptionException($"Cut-offs [{string.Join(", ", CutOffs)}] are not valid: expected positive integers.");
        }
        if (Tune && OnValidation)
        {
            throw new OptionException("Tuning searches on the validation split itself: scoring on validation takes no tuning.");
        }
        if (Tune)
        {
            if (Trials < 1)
            {
                throw new OptionException($"{Trials} trials is not valid: tuning needs at least 1.");
            }
            if (!HyperParameterSearch.Methods.Contains(TuneMethod.ToLowerInvariant()))
            {
                throw new OptionException($"Unknown tuning method '{TuneMethod}'. Valid methods: {string.Join(", ", HyperParameterSearch.Methods)}.");
            }
            ParseTuneMetric();
        }
    }

    /// <summary>The canonical name ("NDCG@10") and cut-off of <see cref="TuneMetric"/>.</summary>
    public (string Name, int K) ParseTuneMetric()
    {
        var parts = TuneMetric.Split('@', 2, StringSplitOptions.TrimEntries);
        var name = MetricNames.FirstOrDefault(n => string.Equals(n, parts[0], StringComparison.OrdinalIgnoreCase));
        if (name is null || parts.Length != 2
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) || k <= 0)
        {
            throw new OptionException($"Tuning metric '{TuneMetric}' is not valid: expected NAME@K with NAME one of {string.Join(", ", MetricNames)}, such as NDCG@10.");
        }
        return ($"{name}@{k}", k);
    }
}
