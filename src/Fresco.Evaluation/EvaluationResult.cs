using Fresco.Evaluation.Tuning;

namespace Fresco.Evaluation;

/// <summary>
/// One evaluation's outcome, in the shape of <c>fresco eval --json</c>: data set sizes, the options used, the
/// metrics by name ("NDCG@10", "HR@10", "Recall@20", ...) and the time spent. For k-fold, the metrics are the
/// means over folds with the standard deviation beside ("NDCG@10_std"), the times are summed and
/// <see cref="EvaluatedUsers"/> is the mean per fold. Immutable.
/// </summary>
public sealed record EvaluationResult(
    string Dataset,
    string Model,
    string Protocol,
    IReadOnlyDictionary<string, string> Options,
    int Users,
    int Items,
    long Interactions,
    int EvaluatedUsers,
    IReadOnlyDictionary<string, double> Metrics,
    double TrainSeconds,
    double EvalSeconds)
{
    /// <summary>What the metrics were scored on: "test", or "validation" (<see cref="EvaluationSettings.OnValidation"/>: the test part was never read).</summary>
    public string Holdout { get; init; } = "test";

    /// <summary>The tuning trials, in order (empty without tuning; for k-fold, the folds' trials one after another).</summary>
    public IReadOnlyList<TuningTrial> Trials { get; init; } = [];

    /// <summary>Time spent tuning, in seconds (0 without tuning).</summary>
    public double TuneSeconds { get; init; }
}
