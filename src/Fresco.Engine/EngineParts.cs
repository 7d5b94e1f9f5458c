using Fresco.Engine.Cluster;
using Fresco.Engine.Experiments;
using Fresco.Engine.Impressions;
using Fresco.Engine.Ingest;
using Fresco.Engine.Models;
using Fresco.Engine.Queries;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine;

/// <summary>
/// The parts of one engine as <see cref="FrescoEngineBuilder"/> wires them, handed to the <see cref="FrescoEngine"/>
/// facade, which owns them. <see cref="OwnedStore"/> is the store when the engine closes it, else null;
/// <see cref="Cluster"/> the cluster parts of a cluster node, else null (and so is <see cref="Recheck"/>); <see cref="Outcomes"/> where experiment results
/// are read (the store's impressions record unless the host gave another source). Immutable.
/// </summary>
internal sealed record EngineParts(
    EngineState State,
    ModelRegistry Registry,
    ModelRows Rows,
    ModelViews Views,
    EngineMetrics Metrics,
    FeedbackIngest Feedback,
    WriteHealth Writes,
    CatalogIngest Catalog,
    StateLoader Loader,
    UserEviction Eviction,
    RetentionSweep Retention,
    EngineServing Serving,
    TrainingLoop Training,
    EngineQueries Queries,
    ScenarioRegistry Scenarios,
    ScenarioModels ScenarioModels,
    ImpressionRecorder Impressions,
    FeedbackAttribution Attribution,
    AttributionRecheck? Recheck,
    Action<string>? ScenariosChanged,
    ExperimentRegistry Experiments,
    Action<string>? ExperimentsChanged,
    IExperimentOutcomes Outcomes,
    ILogger Logger,
    IStore? OwnedStore,
    ClusterParts? Cluster);

/// <summary>A cluster node's parts: its services (feed, directory, lease, bus), the change follower and the membership. Immutable.</summary>
internal sealed record ClusterParts(ClusterServices Services, ChangeFollower Follower, ClusterMembership Membership);
