using System.Diagnostics.Metrics;
using Fresco.Engine;
using Fresco.Engine.Experiments;
using Fresco.Engine.Models;
using Fresco.Engine.Queries;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;

namespace Fresco.Server.Tests;

/// <summary>
/// A stand-in engine: writes go through to a real in-memory store (<see cref="TrackingStore"/>); every list is the catalog's visible items
/// in id order (minus the subject's own items, excluded ones and other categories), scored 100, 99, ... by rank before
/// the offset, source "fake". Counts ingested events on a "Fresco.Engine" meter. Thread-safe as the store is.
/// </summary>
internal sealed class FakeEngine : IFrescoEngine
{
    public static readonly string[] NonPersonalizedNames = ["popular", "latest", "trending"];

    private static readonly Meter s_meter = new("Fresco.Engine");
    private static readonly Counter<long> s_ingested = s_meter.CreateCounter<long>("events.ingested", "{event}", "Events ingested, by type.");

    private static readonly Histogram<double> s_freshness = s_meter.CreateHistogram<double>("event.freshness", "ms", "Event-to-visible time.");
    private static readonly Gauge<double> s_quality = s_meter.CreateGauge<double>("training.candidate_quality");

    private readonly TrackingStore _store = new();

    public FakeEngine()
    {
        Models = new ModelRegistry(_store);
        _store.OwnerDisposed = () => Disposed;
    }

    /// <summary>The fake's store, for tests to check what was written (the server itself never sees it).</summary>
    public IStore Store => _store;

    public ModelRegistry Models { get; }

    public bool IsReady { get; set; } = true;

    /// <summary>When set, feedback writes throw it (a store failure as the engine would pass it on).</summary>
    public Exception? WriteFailure { get; set; }

    /// <summary>What <see cref="GetStatus"/> reports as <see cref="EngineStatus.StoreFull"/>.</summary>
    public bool StoreFull { get; set; }

    public EngineStatus GetStatus()
    {
        var serving = Models.Current;
        return new EngineStatus(IsReady, 0, 0, 0, serving?.Version, serving?.Kind, new TrainingStatus(null, 0, []), 0, 0, 0,
            new LatencyHistogram().Snapshot(), null, StoreFull);
    }

    public Task<Fresco.Engine.Cluster.ClusterView> GetClusterAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new Fresco.Engine.Cluster.ClusterView("fake", "fake", Models.Current?.Version, []));

    /// <summary>The recommendation id of every answer of the fake (the real engine's ids are unique; see RecommendationIdTests).</summary>
    public const string RecommId = "fake-recomm";

    public string RecordImpression(Fresco.Engine.Impressions.ImpressionRequest request) => RecommId;

    public Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default) => _store.GetImpressionAsync(id, cancellationToken);

    public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default) =>
        _store.ListAttributionsAsync(recommId, cancellationToken);

    public Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default) => _store.TryGetUserAsync(userId, cancellationToken);

    public Task<Item?> GetItemAsync(string itemId, CancellationToken cancellationToken = default) => _store.TryGetItemAsync(itemId, cancellationToken);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        _store.ListUsersAsync(cursor, n, cancellationToken);

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        _store.ListItemsAsync(cursor, n, cancellationToken);

    public Task<Page<Feedback>> ListFeedbackAsync(string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        _store.ListFeedbackAsync(cursor, n, feedbackType, cancellationToken);

    public async Task<IReadOnlyList<Feedback>?> GetUserFeedbackAsync(string userId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        await _store.TryGetUserAsync(userId, cancellationToken) is null ? null : await _store.GetUserFeedbackAsync(userId, feedbackType, cancellationToken);

    public async Task<IReadOnlyList<Feedback>?> GetItemFeedbackAsync(string itemId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        await _store.TryGetItemAsync(itemId, cancellationToken) is null ? null : await _store.GetItemFeedbackAsync(itemId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null,
        CancellationToken cancellationToken = default) =>
        _store.GetUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default) => _store.ListModelsAsync(cancellationToken);

    public bool Disposed { get; private set; }

    /// <summary>Null while the store is open; then whether it was closed after the engine (the required order).</summary>
    public bool? StoreClosedAfterEngine => _store.DisposedAfterOwner;

    public Exception? TrainingFailure { get; set; }

    public Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default) =>
        _store.InsertUsersAsync(users, cancellationToken);

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default) =>
        _store.PatchUserAsync(userId, patch, cancellationToken);

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default) =>
        _store.DeleteUserAsync(userId, cancellationToken);

    public Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default) =>
        _store.InsertItemsAsync(items, cancellationToken);

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default) =>
        _store.PatchItemAsync(itemId, patch, cancellationToken);

    public Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        _store.DeleteItemAsync(itemId, cancellationToken);

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        _store.AddItemCategoryAsync(itemId, category, cancellationToken);

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        _store.RemoveItemCategoryAsync(itemId, category, cancellationToken);

    /// <summary>When set, feedback writes wait for it first (tests hold requests in flight with it).</summary>
    public Task? FeedbackGate { get; set; }

    private int _feedbackGateWaiters;

    /// <summary>Feedback writes that reached <see cref="FeedbackGate"/>.</summary>
    public int FeedbackGateWaiters => Volatile.Read(ref _feedbackGateWaiters);

    public async Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, CancellationToken cancellationToken = default)
    {
        if (WriteFailure is { } failure)
        {
            throw failure;
        }
        if (FeedbackGate is { } gate)
        {
            Interlocked.Increment(ref _feedbackGateWaiters);
            await gate.WaitAsync(cancellationToken);
        }
        var written = await _store.InsertFeedbackAsync(batch, overwrite, autoCreate: true, cancellationToken);
        foreach (var f in batch)
        {
            s_ingested.Add(1, new KeyValuePair<string, object?>("type", f.FeedbackType));
        }
        s_freshness.Record(3);
        return written;
    }

    public Task<int> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        _store.DeleteUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken);

    public IReadOnlyList<ScoredId>? Recommend(string userId, RecommendQuery query)
    {
        if (_store.TryGetUserAsync(userId).Result is null)
        {
            return null;
        }
        var seen = _store.GetUserFeedbackAsync(userId).Result.Select(f => f.ItemId).ToHashSet();
        return Rank(query, seen);
    }

    public IReadOnlyList<ScoredId> RecommendSession(IReadOnlyList<Feedback> session, RecommendQuery query) =>
        Rank(query, session.Select(f => f.ItemId).ToHashSet());

    public IReadOnlyList<ScoredId>? ItemNeighbors(string itemId, RecommendQuery query) =>
        _store.TryGetItemAsync(itemId).Result is null ? null : Rank(query, [itemId]);

    public IReadOnlyList<ScoredId>? UserNeighbors(string userId, RecommendQuery query)
    {
        if (_store.TryGetUserAsync(userId).Result is null)
        {
            return null;
        }
        var others = _store.ListUsersAsync("", 1_000_000).Result.Items.Where(u => u.UserId != userId).Select(u => u.UserId);
        return Page(others, query);
    }

    public IReadOnlyList<ScoredId>? NonPersonalized(string name, RecommendQuery query) =>
        NonPersonalizedNames.Contains(name) ? Rank(query, []) : null;

    public IReadOnlyList<ScoredId>? ItemToItem(string name, string itemId, RecommendQuery query) =>
        name == "similar" ? ItemNeighbors(itemId, query) : null;

    public Task<TrainingReport> StartTraining() => TrainNowAsync();

    public Task<TrainingReport> TrainNowAsync(CancellationToken cancellationToken = default)
    {
        if (TrainingFailure is not null)
        {
            throw TrainingFailure;
        }
        var events = _store.CountFeedbackAsync(cancellationToken).Result;
        s_quality.Record(0.25, new KeyValuePair<string, object?>("metric", "ndcg@10"));
        return Task.FromResult(new TrainingReport(new RegistryOutcome(true, 1, "no model is being served"), "als", 2, 3, events,
            new Dictionary<string, double> { ["ndcg@10"] = 0.25 }, null, TimeSpan.FromMilliseconds(1500)));
    }

    public Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken = default) => Models.RollbackAsync(cancellationToken);

    // Scenarios: kept as given, never checked or applied (the real engine's are tested end to end).
    private readonly Dictionary<string, ScenarioVersion> _scenarios = [];

    public Task<ScenarioVersion> PutScenarioAsync(string name, Scenario scenario, CancellationToken cancellationToken = default)
    {
        lock (_scenarios)
        {
            var version = new ScenarioVersion(name, _scenarios.Count + 1, DateTimeOffset.UnixEpoch, scenario);
            _scenarios[name] = version;
            return Task.FromResult(version);
        }
    }

    public Task<ScenarioVersion?> GetScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_scenarios)
        {
            return Task.FromResult(_scenarios.GetValueOrDefault(name));
        }
    }

    public Task<IReadOnlyList<ScenarioVersion>> ListScenariosAsync(CancellationToken cancellationToken = default)
    {
        lock (_scenarios)
        {
            return Task.FromResult<IReadOnlyList<ScenarioVersion>>([.. _scenarios.Values.OrderBy(v => v.Name, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_scenarios)
        {
            return Task.FromResult(_scenarios.Remove(name));
        }
    }

    public Task ReloadScenariosAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    // Experiments: kept as given, never checked nor assigning (the real engine's are tested end to end); the results are
    // what a test sets in ExperimentResults (null: computed over the fake store's impressions record, as the real engine does).
    private readonly Dictionary<string, ExperimentInfo> _experiments = [];

    public ExperimentResults? ExperimentResults { get; set; }

    public Task<ExperimentInfo> PutExperimentAsync(string name, Experiment experiment, CancellationToken cancellationToken = default)
    {
        lock (_experiments)
        {
            return Task.FromResult(_experiments[name] = new ExperimentInfo(name, DateTimeOffset.UnixEpoch, "scheduled", experiment));
        }
    }

    public Task<ExperimentInfo?> GetExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_experiments)
        {
            return Task.FromResult(_experiments.GetValueOrDefault(name));
        }
    }

    public Task<IReadOnlyList<ExperimentInfo>> ListExperimentsAsync(CancellationToken cancellationToken = default)
    {
        lock (_experiments)
        {
            return Task.FromResult<IReadOnlyList<ExperimentInfo>>([.. _experiments.Values.OrderBy(v => v.Name, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_experiments)
        {
            return Task.FromResult(_experiments.Remove(name));
        }
    }

    public Task ReloadExperimentsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ExperimentAssignment? AssignExperiment(string scenario, string userId) => null;

    public async Task<ExperimentResults?> GetExperimentResultsAsync(string name, CancellationToken cancellationToken = default) =>
        await GetExperimentAsync(name, cancellationToken) is not { } info ? null
            : ExperimentResults ?? ExperimentAnalysis.Analyze(name, info.Definition, await _store.GetExperimentOutcomesAsync(name, cancellationToken));

    /// <summary>Like the server's real engine, which owns its store, closes the store after itself.</summary>
    public async ValueTask DisposeAsync()
    {
        Disposed = true;
        Models.Dispose();
        await _store.DisposeAsync();
    }

    private List<ScoredId> Rank(RecommendQuery query, HashSet<string> skip)
    {
        var items = _store.ListItemsAsync("", 1_000_000).Result.Items
            .Where(i => !i.IsHidden && !skip.Contains(i.ItemId))
            .Where(i => string.IsNullOrEmpty(query.Category) || i.Categories.Contains(query.Category))
            .Select(i => i.ItemId);
        return Page(items, query);
    }

    private static List<ScoredId> Page(IEnumerable<string> ids, RecommendQuery query) =>
        [.. ids.Where(id => query.Exclude is null || !query.Exclude.Contains(id))
            .Select((id, rank) => new ScoredId(id, 100 - rank, "fake"))
            .Skip(query.Offset).Take(query.N)];
}
