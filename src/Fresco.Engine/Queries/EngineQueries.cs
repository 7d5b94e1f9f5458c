using Fresco.Engine.Cluster;
using Fresco.Engine.Models;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;

namespace Fresco.Engine.Queries;

/// <summary>
/// What hosts read besides recommendations: stored users, items, feedback (cursor-paged listings and one subject's
/// rows), model versions, stored scenarios, and the engine's <see cref="EngineStatus"/>. Stored rows come from the store, so they are
/// what is durable; a subject's feedback is null when the subject does not exist. A cluster node also answers its
/// <see cref="ClusterView"/>; a node alone answers one of itself. Thread-safe, as the store is.
/// </summary>
internal sealed class EngineQueries(IStore store, EngineState state, ModelRegistry registry, TrainingLoop training, ResultCache cache,
    ClusterMembership? cluster)
{
    public Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken) => store.TryGetUserAsync(userId, cancellationToken);

    public Task<Item?> GetItemAsync(string itemId, CancellationToken cancellationToken) => store.TryGetItemAsync(itemId, cancellationToken);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken) =>
        store.ListUsersAsync(cursor, n, cancellationToken);

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken) =>
        store.ListItemsAsync(cursor, n, cancellationToken);

    public Task<Page<Feedback>> ListFeedbackAsync(string cursor, int n, string? feedbackType, CancellationToken cancellationToken) =>
        store.ListFeedbackAsync(cursor, n, feedbackType, cancellationToken);

    public async Task<IReadOnlyList<Feedback>?> GetUserFeedbackAsync(string userId, string? feedbackType, CancellationToken cancellationToken) =>
        await store.TryGetUserAsync(userId, cancellationToken).ConfigureAwait(false) is null
            ? null
            : await store.GetUserFeedbackAsync(userId, feedbackType, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Feedback>?> GetItemFeedbackAsync(string itemId, string? feedbackType, CancellationToken cancellationToken) =>
        await store.TryGetItemAsync(itemId, cancellationToken).ConfigureAwait(false) is null
            ? null
            : await store.GetItemFeedbackAsync(itemId, feedbackType, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(string userId, string itemId, string? feedbackType,
        CancellationToken cancellationToken) =>
        store.GetUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken) => store.ListModelsAsync(cancellationToken);

    public async Task<ScenarioVersion?> GetScenarioAsync(string name, CancellationToken cancellationToken) =>
        await store.GetScenarioAsync(name, cancellationToken).ConfigureAwait(false) is { } row ? ScenarioRegistry.Parse(row) : null;

    public async Task<IReadOnlyList<ScenarioVersion>> ListScenariosAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListScenariosAsync(cancellationToken).ConfigureAwait(false)).Select(ScenarioRegistry.Parse)];

    /// <summary>How long <see cref="IFrescoEngine.Recommend"/> took, recorded by the engine's facade.</summary>
    public LatencyHistogram RecommendLatency { get; } = new();

    public EngineStatus Status()
    {
        var serving = registry.Current;
        return new EngineStatus(state.Ready, state.Live.UserCount - state.Live.FreeUserSlots, state.Live.ItemCount, state.Events, serving?.Version, serving?.Kind,
            new TrainingStatus(training.RunningSince, state.EventsSinceTraining, training.Recent),
            (int)QueueDepth(), cache.Hits, cache.Misses, RecommendLatency.Snapshot(), cluster?.Status());
    }

    /// <summary>The cluster as this node sees it (a node alone: itself, as "local", the trainer).</summary>
    public async Task<ClusterView> ClusterAsync(CancellationToken cancellationToken)
    {
        if (cluster is not null)
        {
            return await cluster.ViewAsync(cancellationToken).ConfigureAwait(false);
        }
        var version = registry.Current?.Version;
        return new ClusterView(LocalNode, LocalNode, version,
            [new NodeInfo(LocalNode, "", "all", state.Ready, version, true, DateTimeOffset.UtcNow)]);
    }

    public Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken) => store.GetImpressionAsync(id, cancellationToken);

    public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken) =>
        store.ListAttributionsAsync(recommId, cancellationToken);

    /// <summary>The node id a node alone reports.</summary>
    public const string LocalNode = "local";

    /// <summary>The store's write back-log (0 for stores without a queue).</summary>
    public long QueueDepth() => store is IWriteQueue queue ? queue.QueueDepth : 0;
}
