using Fresco.Engine.Storage;

namespace Fresco.Engine.Cluster;

/// <summary>
/// A store that announces each committed write on the <see cref="IClusterBus"/> as it returns, so that the other
/// replicas apply it within milliseconds. Reads and failures pass through untouched; the store's own change log (written
/// in the write's transaction) remains the durable record the bus only speeds up. Thread-safe, as the inner store is.
/// </summary>
internal sealed class PublishingStore(IStore inner, IClusterBus bus, string node) : IStore, IWriteQueue
{
    public int QueueDepth => inner is IWriteQueue queue ? queue.QueueDepth : 0;

    public async Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, bool autoCreate = true,
        CancellationToken cancellationToken = default)
    {
        var written = await inner.InsertFeedbackAsync(batch, overwrite, autoCreate, cancellationToken).ConfigureAwait(false);
        Publish(overwrite
            ? [.. batch.Select(f => f.UserId).Distinct(StringComparer.Ordinal).Select(Change.History)]
            : [.. batch.Select(Change.Inserted)]);
        return written;
    }

    public async Task<int> DeleteUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null,
        CancellationToken cancellationToken = default)
    {
        var deleted = await inner.DeleteUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            Publish([Change.History(userId)]);
        }
        return deleted;
    }

    public async Task<IReadOnlyList<Feedback>> DeleteFeedbackBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        var deleted = await inner.DeleteFeedbackBeforeAsync(cutoff, max, cancellationToken).ConfigureAwait(false);
        Publish([.. deleted.Select(f => f.UserId).Distinct(StringComparer.Ordinal).Select(Change.History)]);
        return deleted;
    }

    public async Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default)
    {
        var written = await inner.InsertUsersAsync(users, cancellationToken).ConfigureAwait(false);
        Publish([.. users.Select(u => Change.UserAdded(u.UserId))]);
        return written;
    }

    public async Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default) =>
        Published(await inner.DeleteUserAsync(userId, cancellationToken).ConfigureAwait(false), Change.UserRemoved(userId));

    public async Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        var written = await inner.InsertItemsAsync(items, cancellationToken).ConfigureAwait(false);
        Publish([.. items.Select(i => Change.ItemChanged(i.ItemId))]);
        return written;
    }

    public async Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default) =>
        Published(await inner.PatchItemAsync(itemId, patch, cancellationToken).ConfigureAwait(false), Change.ItemChanged(itemId));

    public async Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        Published(await inner.DeleteItemAsync(itemId, cancellationToken).ConfigureAwait(false), Change.ItemChanged(itemId));

    public async Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        Published(await inner.AddItemCategoryAsync(itemId, category, cancellationToken).ConfigureAwait(false), Change.ItemChanged(itemId));

    public async Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        Published(await inner.RemoveItemCategoryAsync(itemId, category, cancellationToken).ConfigureAwait(false), Change.ItemChanged(itemId));

    public async Task<bool> PromoteModelAsync(long version, CancellationToken cancellationToken = default) =>
        Published(await inner.PromoteModelAsync(version, cancellationToken).ConfigureAwait(false), Change.Serving(version));

    // Writes the live state of other nodes does not hold, and reads: straight through.
    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default) =>
        inner.PatchUserAsync(userId, patch, cancellationToken);

    public Task<User?> TryGetUserAsync(string userId, CancellationToken cancellationToken = default) => inner.TryGetUserAsync(userId, cancellationToken);

    public Task<Item?> TryGetItemAsync(string itemId, CancellationToken cancellationToken = default) => inner.TryGetItemAsync(itemId, cancellationToken);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        inner.ListUsersAsync(cursor, n, cancellationToken);

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        inner.ListItemsAsync(cursor, n, cancellationToken);

    public Task<IReadOnlyList<Feedback>> GetUserFeedbackAsync(string userId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        inner.GetUserFeedbackAsync(userId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<Feedback>> GetItemFeedbackAsync(string itemId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        inner.GetItemFeedbackAsync(itemId, feedbackType, cancellationToken);

    public Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null,
        CancellationToken cancellationToken = default) =>
        inner.GetUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken);

    public Task<Page<Feedback>> ListFeedbackAsync(string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        inner.ListFeedbackAsync(cursor, n, feedbackType, cancellationToken);

    public IAsyncEnumerable<Feedback> ReadAllFeedbackAsync(CancellationToken cancellationToken = default) => inner.ReadAllFeedbackAsync(cancellationToken);

    public Task<long> CountFeedbackAsync(CancellationToken cancellationToken = default) => inner.CountFeedbackAsync(cancellationToken);

    public Task<ModelVersion> SaveModelAsync(long version, string kind, DateTimeOffset createdAt, IReadOnlyDictionary<string, double> metrics,
        Stream content, CancellationToken cancellationToken = default) =>
        inner.SaveModelAsync(version, kind, createdAt, metrics, content, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default) => inner.ListModelsAsync(cancellationToken);

    public Task<Stream?> OpenModelAsync(long version, CancellationToken cancellationToken = default) => inner.OpenModelAsync(version, cancellationToken);

    public Task<int> PruneModelsAsync(int keep, CancellationToken cancellationToken = default) => inner.PruneModelsAsync(keep, cancellationToken);

    public Task<ModelVersion?> GetServingModelAsync(CancellationToken cancellationToken = default) => inner.GetServingModelAsync(cancellationToken);

    // Scenario changes are announced by the scenario registry's callback (after they are served here), not by the store.
    public Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) =>
        inner.PutScenarioAsync(name, definition, updatedAt, cancellationToken);

    public Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken cancellationToken = default) => inner.GetScenarioAsync(name, cancellationToken);

    public Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken cancellationToken = default) => inner.ListScenariosAsync(cancellationToken);

    public Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteScenarioAsync(name, cancellationToken);

    // Experiment changes are announced by the experiment registry's callback (after they are served here), as scenarios.
    public Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) =>
        inner.PutExperimentAsync(name, definition, updatedAt, cancellationToken);

    public Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default) =>
        inner.GetExperimentAsync(name, cancellationToken);

    public Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        inner.ListExperimentsAsync(cancellationToken);

    public Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteExperimentAsync(name, cancellationToken);

    // Impressions and attributions are not announced: other nodes never serve from them (see cluster.md).
    public Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken cancellationToken = default) =>
        inner.InsertImpressionsAsync(impressions, cancellationToken);

    public Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default) => inner.GetImpressionAsync(id, cancellationToken);

    public Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
        inner.ListRecentImpressionsAsync(since, limit, cancellationToken);

    public Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) => inner.FindLastShownAsync(userId, itemId, from, to, cancellationToken);

    public Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default) =>
        inner.DeleteImpressionsBeforeAsync(cutoff, max, cancellationToken);

    public Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken = default) =>
        inner.InsertAttributionsAsync(attributions, cancellationToken);

    public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default) =>
        inner.ListAttributionsAsync(recommId, cancellationToken);

    public Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken cancellationToken = default) =>
        inner.GetExperimentOutcomesAsync(experiment, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private bool Published(bool changed, Change change)
    {
        if (changed)
        {
            Publish([change]);
        }
        return changed;
    }

    private void Publish(Change[] changes)
    {
        if (changes.Length > 0)
        {
            bus.Publish(new ChangeBatch(node, changes));
        }
    }
}
