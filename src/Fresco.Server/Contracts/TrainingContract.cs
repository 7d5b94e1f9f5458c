namespace Fresco.Server.Contracts;

/// <summary>
/// The answer of <c>POST /api/models/train</c>: whether the candidate was promoted, its stored version, why, its kind and
/// size, the candidate's, the serving model's and the popularity baseline's metrics on the same hold-out, how long
/// it took, and the model search (with <c>Training:Model = auto</c>). Immutable value.
/// </summary>
public sealed record TrainingContract(
    bool Promoted,
    long Version,
    string Reason,
    string Kind,
    int Users,
    int Items,
    long Events,
    IReadOnlyDictionary<string, double> CandidateMetrics,
    IReadOnlyDictionary<string, double>? ServingMetrics,
    double DurationSeconds,
    IReadOnlyDictionary<string, double>? BaselineMetrics,
    SearchContract? Search);
