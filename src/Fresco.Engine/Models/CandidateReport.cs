namespace Fresco.Engine.Models;

/// <summary>
/// The evaluation of a candidate: its own metrics and the serving model's metrics measured on the SAME hold-out
/// (null only when nothing is being served). Immutable value.
/// </summary>
public sealed record CandidateReport(
    IReadOnlyDictionary<string, double> CandidateMetrics,
    IReadOnlyDictionary<string, double>? ServingMetricsOnSameHoldout);
