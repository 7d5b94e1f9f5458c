namespace Fresco.Engine.Models;

/// <summary>
/// The evaluation of a candidate: its own metrics and the serving model's metrics measured on the SAME hold-out
/// (null only when nothing is being served), and how many users the hold-out has (-1: not said; the gate's
/// <see cref="QualityGate.MinHoldoutUsers"/> then does not apply). Immutable value.
/// </summary>
public sealed record CandidateReport(
    IReadOnlyDictionary<string, double> CandidateMetrics,
    IReadOnlyDictionary<string, double>? ServingMetricsOnSameHoldout,
    int HoldoutUsers = -1);
