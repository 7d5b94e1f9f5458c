namespace Fresco.Evaluation;

/// <summary>
/// One evaluation's outcome, in the shape of <c>fresco eval --json</c>: data set sizes, the options used, the
/// metrics by name ("NDCG@10", "HR@10", "Recall@20", ...) and the time spent.
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
    double EvalSeconds);
