using System.Diagnostics;
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
/// The engine's facade over its three parts, which share one <see cref="EngineState"/>: ingest
/// (<see cref="FeedbackIngest"/>, <see cref="CatalogIngest"/>: the store first, then the live state), serving
/// (<see cref="EngineServing"/>: answers from memory) and the <see cref="TrainingLoop"/> (schedule, gate, rollback),
/// plus the stored-row <see cref="EngineQueries"/>; every write passes <see cref="WriteHealth"/>, which notes a full
/// disk. The parts are composed by <see cref="FrescoEngineBuilder"/>; the
/// engine owns and disposes them (and the store when built to own it). Thread-safe: every member may be called
/// concurrently.
/// </summary>
public sealed class FrescoEngine : IFrescoEngine
{
    private readonly EngineParts _parts;

    internal FrescoEngine(EngineParts parts) => _parts = parts;

    public bool IsReady => _parts.State.Ready;

    /// <summary>The model registry (tests and benchmarks; hosts read <see cref="GetStatus"/>).</summary>
    public ModelRegistry Models => _parts.Registry;

    public EngineMetrics Metrics => _parts.Metrics;

    /// <summary>The live interaction state (read-only use: writes must go through the engine).</summary>
    public Realtime.LiveInteractions Live => _parts.State.Live;

    /// <summary>
    /// Evicts the users inactive for <see cref="Realtime.LiveOptions.UserTtl"/> now, then releases the id slots of dead
    /// users and deleted items (the engine also does both on a schedule: every quarter of the TTL, between 1 s and 1 min;
    /// every minute without a TTL); returns how many users left memory.
    /// </summary>
    public Task<int> EvictInactiveUsersAsync(CancellationToken cancellationToken = default) => _parts.Eviction.SweepAsync(cancellationToken);

    /// <summary>
    /// Applies <see cref="FrescoEngineOptions.Retention"/>'s TTLs now (the engine also does it every
    /// <see cref="RetentionOptions.SweepInterval"/>): deletes expired feedback, hides expired items.
    /// </summary>
    public Task<RetentionResult> SweepRetentionAsync(CancellationToken cancellationToken = default) => _parts.Retention.SweepAsync(cancellationToken);

    public EngineStatus GetStatus() => _parts.Queries.Status() with { StoreFull = _parts.Writes.IsFull, Impressions = _parts.Impressions.Status };

    public Task<Cluster.ClusterView> GetClusterAsync(CancellationToken cancellationToken = default) => _parts.Queries.ClusterAsync(cancellationToken);

    /// <summary>Loads the state from the store and starts the training schedule; the engine is ready after it.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // A cluster node reads the change log's head first: what commits while the state loads is read again after.
        var head = _parts.Cluster is { } cluster
            ? await cluster.Services.Feed.HeadAsync(cancellationToken).ConfigureAwait(false)
            : default;
        await _parts.Loader.LoadAsync(cancellationToken).ConfigureAwait(false);
        await _parts.Impressions.LoadAsync(ShownLoadLimit, cancellationToken).ConfigureAwait(false);
        _parts.Impressions.Start();
        _parts.Recheck?.Start();
        _parts.Rows.Restore(_parts.Registry.Current, _parts.State.Live);
        _parts.Views.Current();
        await _parts.Scenarios.ReloadAsync(cancellationToken).ConfigureAwait(false);
        await _parts.Experiments.ReloadAsync(cancellationToken).ConfigureAwait(false);
        if (_parts.Cluster is { } parts)
        {
            await parts.Follower.StartAsync(head, cancellationToken).ConfigureAwait(false);
            parts.Membership.Start();
        }
        _parts.Retention.Start();
        _parts.State.Ready = true;
        _parts.Training.Start();
        _parts.Eviction.Start();
        var state = _parts.State;
        EngineLog.Ready(_parts.Logger, state.Live.UserCount, state.Live.ItemCount, state.Events,
            _parts.Registry.Current?.Version ?? 0, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The most impressions read from the store at start to fill the shown index.</summary>
    private const int ShownLoadLimit = 1_000_000;

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_parts.OwnedStore is { } store)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the training loop and disposes the parts; the store is left open.</summary>
    internal async ValueTask StopAsync()
    {
        _parts.State.Ready = false;
        await _parts.Impressions.DisposeAsync().ConfigureAwait(false);
        if (_parts.Recheck is { } recheck)
        {
            await recheck.DisposeAsync().ConfigureAwait(false);
        }
        if (_parts.Cluster is { } cluster)
        {
            await cluster.Membership.DisposeAsync().ConfigureAwait(false);
            await cluster.Follower.DisposeAsync().ConfigureAwait(false);
        }
        await _parts.Eviction.DisposeAsync().ConfigureAwait(false);
        await _parts.Retention.DisposeAsync().ConfigureAwait(false);
        await _parts.Training.DisposeAsync().ConfigureAwait(false);
        if (_parts.Cluster is { } services)
        {
            await services.Services.Lease.DisposeAsync().ConfigureAwait(false);
            if (services.Services.Bus is { } bus)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
            }
        }
        _parts.Registry.Dispose();
        _parts.Scenarios.Dispose();
        _parts.Experiments.Dispose();
        _parts.Metrics.Dispose();
        _parts.Catalog.Dispose();
    }

    public Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Feedback.InsertUsersAsync(users, cancellationToken));

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Feedback.PatchUserAsync(userId, patch, cancellationToken));

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Feedback.DeleteUserAsync(userId, cancellationToken));

    public Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Catalog.InsertItemsAsync(items, cancellationToken));

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Catalog.PatchItemAsync(itemId, patch, cancellationToken));

    public Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Catalog.DeleteItemAsync(itemId, cancellationToken));

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Catalog.AddItemCategoryAsync(itemId, category, cancellationToken));

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Catalog.RemoveItemCategoryAsync(itemId, category, cancellationToken));

    public Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Attribution.WriteAsync(batch,
            () => _parts.Feedback.InsertFeedbackAsync(batch, overwrite, cancellationToken), cancellationToken));

    public Task<int> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        _parts.Writes.TrackAsync(_parts.Feedback.DeleteFeedbackAsync(userId, itemId, feedbackType, cancellationToken));

    public IReadOnlyList<ScoredId>? Recommend(string userId, RecommendQuery query)
    {
        var started = Stopwatch.GetTimestamp();
        var list = _parts.Serving.Recommend(userId, query);
        _parts.Queries.RecommendLatency.RecordSince(started);
        return list;
    }

    public IReadOnlyList<ScoredId> RecommendSession(IReadOnlyList<Feedback> session, RecommendQuery query) =>
        _parts.Serving.RecommendSession(session, query);

    public IReadOnlyList<ScoredId>? ItemNeighbors(string itemId, RecommendQuery query) => _parts.Serving.ItemNeighbors(itemId, query);

    public IReadOnlyList<ScoredId>? UserNeighbors(string userId, RecommendQuery query) => _parts.Serving.UserNeighbors(userId, query);

    public IReadOnlyList<ScoredId>? NonPersonalized(string name, RecommendQuery query) => _parts.Serving.NonPersonalized(name, query);

    public IReadOnlyList<ScoredId>? ItemToItem(string name, string itemId, RecommendQuery query) =>
        _parts.Serving.ItemToItem(name, itemId, query);

    public string RecordImpression(ImpressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = string.IsNullOrEmpty(request.Scenario) ? null : _parts.Scenarios.Find(request.Scenario)?.Version;
        return _parts.Impressions.Record(request, version);
    }

    public Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default) =>
        _parts.Queries.GetImpressionAsync(id, cancellationToken);

    public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default) =>
        _parts.Queries.ListAttributionsAsync(recommId, cancellationToken);

    public Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        _parts.Queries.GetUserAsync(userId, cancellationToken);

    public Task<Item?> GetItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        _parts.Queries.GetItemAsync(itemId, cancellationToken);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        _parts.Queries.ListUsersAsync(cursor, n, cancellationToken);

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        _parts.Queries.ListItemsAsync(cursor, n, cancellationToken);

    public Task<Page<Feedback>> ListFeedbackAsync(string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        _parts.Queries.ListFeedbackAsync(cursor, n, feedbackType, cancellationToken);

    public Task<IReadOnlyList<Feedback>?> GetUserFeedbackAsync(string userId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        _parts.Queries.GetUserFeedbackAsync(userId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<Feedback>?> GetItemFeedbackAsync(string itemId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        _parts.Queries.GetItemFeedbackAsync(itemId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null,
        CancellationToken cancellationToken = default) =>
        _parts.Queries.GetUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        _parts.Queries.ListModelsAsync(cancellationToken);

    public Task<TrainingReport> StartTraining() => _parts.Training.StartRun();

    public Task<TrainingReport> TrainNowAsync(CancellationToken cancellationToken = default) => _parts.Training.TrainNowAsync(cancellationToken);

    public Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken = default) => _parts.Training.RollbackAsync(cancellationToken);

    public async Task<ScenarioVersion> PutScenarioAsync(string name, Scenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Model is { } model)
        {
            // Refuses a model that is not stored, and loads it, so the scenario scores with it from its first request here.
            await _parts.ScenarioModels.PrepareAsync(ModelChoice.Parse(model, "Model"), "Model", cancellationToken).ConfigureAwait(false);
        }
        var version = await _parts.Scenarios.PutAsync(name, scenario, cancellationToken).ConfigureAwait(false);
        _parts.ScenariosChanged?.Invoke(name);
        return version;
    }

    public async Task<ScenarioVersion?> GetScenarioAsync(string name, CancellationToken cancellationToken = default) =>
        await _parts.Queries.GetScenarioAsync(name, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<ScenarioVersion>> ListScenariosAsync(CancellationToken cancellationToken = default) =>
        _parts.Queries.ListScenariosAsync(cancellationToken);

    public async Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        var deleted = await _parts.Scenarios.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            _parts.ScenariosChanged?.Invoke(name);
        }
        return deleted;
    }

    public Task ReloadScenariosAsync(CancellationToken cancellationToken = default) => _parts.Scenarios.ReloadAsync(cancellationToken);

    public async Task<ExperimentInfo> PutExperimentAsync(string name, Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        foreach (var (variant, i) in experiment.Variants.Select((v, i) => (v, i)))
        {
            if (variant.Model is { } model)
            {
                // As for a scenario: refuses a model that is not stored, and loads it, so the variant scores with it from its first request here.
                var where = $"Variants[{i}].Model";
                try
                {
                    await _parts.ScenarioModels.PrepareAsync(ModelChoice.Parse(model, where), where, cancellationToken).ConfigureAwait(false);
                }
                catch (ScenarioException e)
                {
                    throw new ExperimentException(e.Where, e.Reason);
                }
            }
        }
        var info = await _parts.Experiments.PutAsync(name, experiment, cancellationToken).ConfigureAwait(false);
        _parts.ExperimentsChanged?.Invoke(name);
        return info;
    }

    public Task<ExperimentInfo?> GetExperimentAsync(string name, CancellationToken cancellationToken = default) =>
        _parts.Experiments.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<ExperimentInfo>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        _parts.Experiments.ListAsync(cancellationToken);

    public async Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        var deleted = await _parts.Experiments.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            _parts.ExperimentsChanged?.Invoke(name);
        }
        return deleted;
    }

    public Task ReloadExperimentsAsync(CancellationToken cancellationToken = default) => _parts.Experiments.ReloadAsync(cancellationToken);

    public ExperimentAssignment? AssignExperiment(string scenario, string userId) => _parts.Experiments.Assign(scenario, userId);

    public async Task<ExperimentResults?> GetExperimentResultsAsync(string name, CancellationToken cancellationToken = default)
    {
        if (await _parts.Experiments.GetAsync(name, cancellationToken).ConfigureAwait(false) is not { } experiment)
        {
            return null;
        }
        var rows = await _parts.Outcomes.GetOutcomesAsync(name, cancellationToken).ConfigureAwait(false);
        return ExperimentAnalysis.Analyze(name, experiment.Definition, rows);
    }
}
