using Fresco.Engine.Cluster;
using Fresco.Engine.Training;

namespace Fresco.Engine.Queries;

/// <summary>
/// The engine at one moment, for health, the dashboard and the cluster: whether it is ready, what the live state
/// holds (users and items known to it, feedback rows reflected), the serving model, the training loop, the store's
/// write queue, whether it takes writes, the result cache and the impressions record. Immutable.
/// </summary>
/// <param name="Ready">The state was loaded from the store.</param>
/// <param name="Users">Users known to the live state.</param>
/// <param name="Items">Items known to the live state.</param>
/// <param name="Events">Feedback rows reflected in the live state.</param>
/// <param name="ServingVersion">The serving model's version, or null when none is served.</param>
/// <param name="ServingKind">The serving model's kind, or null.</param>
/// <param name="Training">The training loop.</param>
/// <param name="QueueDepth">Store writes queued for a group-commit writer (0 for stores without a queue).</param>
/// <param name="CacheHits">Recommendations answered from the result cache since start.</param>
/// <param name="CacheMisses">Recommendations computed with the cache enabled since start.</param>
/// <param name="RecommendLatency">How long personal recommendations took since start (cumulative).</param>
/// <param name="Cluster">The node's part in its cluster, or null for a node alone.</param>
/// <param name="Impressions">The impressions record (recorded, stored, shed, failed, queue depth); null before the engine fills it in.</param>
/// <param name="StoreFull">The last write failed because the store's disk is full (writes are refused, reads go on).</param>
public sealed record EngineStatus(
    bool Ready,
    int Users,
    int Items,
    long Events,
    long? ServingVersion,
    string? ServingKind,
    TrainingStatus Training,
    int QueueDepth,
    long CacheHits,
    long CacheMisses,
    LatencySnapshot RecommendLatency,
    ClusterStatus? Cluster = null,
    bool StoreFull = false,
    Impressions.ImpressionStatus? Impressions = null);
