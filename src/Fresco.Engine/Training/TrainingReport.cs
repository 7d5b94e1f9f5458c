using Fresco.Engine.Models;
using Fresco.Evaluation.Tuning;

namespace Fresco.Engine.Training;

/// <summary>
/// What one training run did: the registry's decision on the candidate, its kind and size, the candidate's and the
/// serving model's metrics on the same hold-out, how long it took, whether the candidate was warm-started from
/// the serving model, and the popularity baseline's metrics on the same hold-out (null when the candidate is itself
/// popularity or the hold-out is too small to tell). When the trained model did not beat the baseline, the baseline
/// is what was proposed: <see cref="Kind"/> and <see cref="CandidateMetrics"/> are then popularity's, and the reason
/// says so. <see cref="Search"/>: with <c>Training:Model = auto</c>, every candidate the run tried on its validation
/// split and why the winner won (null otherwise); <see cref="Retrain"/>: with <c>auto</c>, a run between searches that
/// trained the last winner again (null otherwise; at most one of the two is set). Immutable value.
/// </summary>
public sealed record TrainingReport(
    RegistryOutcome Outcome,
    string Kind,
    int Users,
    int Items,
    long Events,
    IReadOnlyDictionary<string, double> CandidateMetrics,
    IReadOnlyDictionary<string, double>? ServingMetrics,
    TimeSpan Duration,
    bool WarmStarted = false,
    IReadOnlyDictionary<string, double>? BaselineMetrics = null,
    SelectionOutcome? Search = null,
    WinnerRetrain? Retrain = null);
