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
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Engine;

/// <summary>
/// The composition root of an engine: wires the shared state, ingest, serving, the training loop and the queries
/// over a store, then loads the state and starts the schedule. Hosts set what they own (the store, the trainer, the
/// clock, logging, ANN retrieval) and call <see cref="StartAsync"/> once. Not thread-safe (configure, then start).
/// </summary>
public sealed class FrescoEngineBuilder(IStore store, FrescoEngineOptions options, IModelTrainer trainer)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Builds an approximate candidate retriever for a serving model (in the background, used once the catalog
    /// exceeds <see cref="RecommendOptions.AnnThreshold"/>); null: always exact scoring.
    /// </summary>
    public Func<ServingModel, ICandidateRetriever?>? Retrievers { get; init; }

    /// <summary>
    /// Called after this engine stored a scenario change (a put or a delete), with the scenario's name: the hook a cluster
    /// host uses to tell the other replicas, which then call <see cref="IFrescoEngine.ReloadScenariosAsync"/>. Runs on the
    /// writer's thread after the change is durable and served here; it must not block. Null: nobody is told.
    /// </summary>
    public Action<string>? ScenariosChanged { get; init; }

    /// <summary>As <see cref="ScenariosChanged"/>, for experiments (the others call <see cref="IFrescoEngine.ReloadExperimentsAsync"/>).</summary>
    public Action<string>? ExperimentsChanged { get; init; }

    /// <summary>
    /// Where the per-user outcomes of experiments are read; null (the default): the store's impressions record, which holds
    /// the impressions this engine recorded with their experiment and variant and the feedback attributed to them.
    /// </summary>
    public IExperimentOutcomes? ExperimentOutcomes { get; init; }

    /// <summary>
    /// Once <see cref="StartAsync"/> returned, the engine disposes the store after itself (a host that opened the store
    /// for the engine); if it throws, the store stays the caller's. Default false: the caller disposes the store after
    /// the engine.
    /// </summary>
    public bool OwnsStore { get; init; }

    /// <summary>
    /// Makes the engine a cluster node: writes are announced on the bus, the live state follows what other nodes commit,
    /// the training schedule runs only while the node holds the trainer lease, and the node reports itself to the
    /// directory. The engine disposes the lease and the bus. Null (the default): a node alone.
    /// </summary>
    public ClusterServices? Cluster { get; init; }

    /// <summary>
    /// Validates the options, composes the engine, loads the serving model (its ids first, so its index space is a
    /// prefix of the live one), replays users, items and all feedback from the store, and starts the training schedule.
    /// </summary>
    public async Task<FrescoEngine> StartAsync(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trainer);
        options.Validate();
        Cluster?.Options.Validate();
        var engine = new FrescoEngine(Compose());
        try
        {
            await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            return engine;
        }
        catch
        {
            await engine.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    private EngineParts Compose()
    {
        var logger = Loggers.CreateLogger<FrescoEngine>();
        IStore served = Cluster is { Bus: { } bus } ? new PublishingStore(store, bus, Cluster.Options.Node) : store;
        var state = new EngineState(options.Live, options.Recommend, Time);
        var registry = new ModelRegistry(served, new ModelRegistryOptions { KeepVersions = options.Training.KeepVersions }, Time,
            Loggers.CreateLogger<ModelRegistry>());
        var rows = new ModelRows();
        var views = new ModelViews(registry, state.Live, Retrievers, logger);
        var cache = new ResultCache(options.Recommend.CacheUsers, options.Recommend.CacheTtl, Time);
        var metrics = new EngineMetrics(() => registry.Current?.Version ?? 0, () => state.Live.UserCount - state.Live.FreeUserSlots,
            () => state.Live.ItemCount - state.Live.FreeItemSlots, () => state.Events, () => served is IWriteQueue queue ? queue.QueueDepth : 0,
            () => state.Live.UserSlotsReused, () => state.Live.ItemsReleased, () => state.Live.ItemSlotsReused);
        var attributionWindow = options.Attribution.Window;
        var shown = new ShownIndex(options.Impressions, options.Impressions.ShownWindow > attributionWindow ? options.Impressions.ShownWindow : attributionWindow);
        var eviction = new UserEviction(served, state, cache, shown, metrics, Time, logger);
        var training = new TrainingLoop(state, options.Training, trainer, registry, rows, views, eviction,
            Cluster?.Lease ?? LocalTrainerLease.Instance, Time, logger);
        var feedback = new FeedbackIngest(served, state, metrics, Time, options.Live.FutureTolerance);
        var catalog = new CatalogIngest(served, state, feedback);
        var models = new ScenarioModels(registry, views, state.Live, Retrievers, options.Recommend.ScenarioModels, Time, logger);
        var scenarios = new ScenarioRegistry(served, state.Catalog, Time, logger, models.Preload);
        var writes = new WriteHealth(metrics.Meter, logger);
        var impressions = new ImpressionRecorder(served, state.Live, shown, options.Impressions,
            rows => writes.TrackAsync(feedback.InsertFeedbackAsync(rows, overwrite: false, CancellationToken.None)), Time, metrics, logger);
        // A node alone remembers every answer it gave; a cluster node may be told of a click on another node's answer
        // before that node's impression batch is committed.
        var recheck = Cluster is not null && options.Attribution.Recheck > TimeSpan.Zero
            ? new AttributionRecheck(served, options.Attribution, Time, metrics, logger)
            : null;
        var attribution = new FeedbackAttribution(served, state.Live, shown, options.Attribution, recheck, Time);
        var scenariosChanged = ScenariosChanged;
        var experiments = new ExperimentRegistry(served, scenarios, Time, logger, models.Preload);
        var experimentsChanged = ExperimentsChanged;
        ClusterParts? cluster = null;
        if (Cluster is { } services)
        {
            var clusterLogger = Loggers.CreateLogger("Fresco.Engine.Cluster");
            var follower = new ChangeFollower(services, feedback, catalog, training, scenarios, experiments, Time, clusterLogger);
            cluster = new ClusterParts(services, follower,
                new ClusterMembership(services, follower, () => state.Ready, () => registry.Current?.Version, Time, clusterLogger));
            if (services.Bus is { } scenarioBus)
            {
                var node = services.Options.Node;
                scenariosChanged += name => scenarioBus.Publish(new ChangeBatch(node, [Change.ScenarioChanged(name)]));
                experimentsChanged += name => scenarioBus.Publish(new ChangeBatch(node, [Change.ExperimentChanged(name)]));
            }
        }
        var queries = new EngineQueries(served, state, registry, training, cache, cluster?.Membership);
        return new EngineParts(state, registry, rows, views, metrics, feedback, writes, catalog,
            new StateLoader(served, state, registry), eviction,
            new RetentionSweep(served, state, feedback, metrics, options.Retention, Time, logger),
            new EngineServing(state, options, models, rows, cache, metrics, scenarios, eviction, shown, Time), training, queries, scenarios, models,
            impressions, attribution, recheck, scenariosChanged, experiments, experimentsChanged, ExperimentOutcomes ?? new ImpressionOutcomes(served), logger,
            OwnsStore ? served : null, cluster);
    }
}
