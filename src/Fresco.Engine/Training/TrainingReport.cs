using Fresco.Engine.Models;

namespace Fresco.Engine.Training;

/// <summary>
/// What one training run did: the registry's decision on the candidate, its kind and size, the candidate's and the
/// serving model's metrics on the same hold-out, how long it took, and whether the candidate was warm-started from
/// the serving model. Immutable value.
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
    bool WarmStarted = false);
