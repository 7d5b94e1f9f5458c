using Fresco.Engine.Models;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;

namespace Fresco.Engine.Queries;

/// <summary>
/// What hosts read besides recommendations: stored users, items, feedback (cursor-paged listings and one subject's
/// rows), model versions, and the engine's <see cref="EngineStatus"/>. Stored rows come from the store, so they are
/// what is durable; a subject's feedback is null when the subject does not exist. Thread-safe, as the store is.
/// </summary>
internal sealed class EngineQueries(IStore store, EngineState state, ModelRegistry registry, TrainingLoop training, ResultCache cache)
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

    /// <summary>How long <see cref="IFrescoEngine.Recommend"/> took, recorded by the engine's facade.</summary>
    public LatencyHistogram RecommendLatency { get; } = new();

    public EngineStatus Status(bool ready)
    {
        var serving = registry.Current;
        return new EngineStatus(ready, state.Live.UserCount, state.Live.ItemCount, state.Events, serving?.Version, serving?.Kind,
            new TrainingStatus(training.RunningSince, state.EventsSinceTraining, training.Recent),
            (int)QueueDepth(), cache.Hits, cache.Misses, RecommendLatency.Snapshot());
    }

    /// <summary>The store's write back-log (0 for stores without a queue).</summary>
    public long QueueDepth() => store is IWriteQueue queue ? queue.QueueDepth : 0;
}
