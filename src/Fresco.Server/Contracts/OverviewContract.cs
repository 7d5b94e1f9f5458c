using Fresco.Engine.Queries;

namespace Fresco.Server.Contracts;

/// <summary>
/// The answer of <c>GET /api/dashboard/overview</c>: the engine's status for the operator's dashboard. Counts are the
/// live state's; <see cref="RecommendLatency"/> is cumulative since start (the page diffs two polls);
/// <see cref="ServingMetrics"/> are the serving version's hold-out metrics; <see cref="ClusterNodes"/> (one line per node of
/// GET /api/cluster) is null on a single node; <see cref="Impressions"/> counts the answers recorded, stored, shed (queue full)
/// and lost. Immutable value.
/// </summary>
public sealed record OverviewContract(
    bool Ready,
    int Users,
    int Items,
    long Feedback,
    long? ServingVersion,
    string? ServingKind,
    IReadOnlyDictionary<string, double>? ServingMetrics,
    string? TrainingSince,
    long EventsSinceTraining,
    IReadOnlyList<TrainingRunContract> TrainingRuns,
    long CacheHits,
    long CacheMisses,
    int QueueDepth,
    LatencySnapshot RecommendLatency,
    IReadOnlyList<string>? ClusterNodes,
    Fresco.Engine.Impressions.ImpressionStatus? Impressions = null);
