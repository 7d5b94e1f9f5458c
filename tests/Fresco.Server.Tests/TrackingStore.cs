using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;

namespace Fresco.Server.Tests;

/// <summary>An <see cref="InMemoryStore"/> that records when it was disposed. Thread-safe as the store is.</summary>
internal sealed class TrackingStore : IStore
{
    private readonly InMemoryStore _inner = new();

    /// <summary>Called when the store is disposed; answers whether its user was already disposed then.</summary>
    public Func<bool>? OwnerDisposed { get; set; }

    public bool? DisposedAfterOwner { get; private set; }

    public ValueTask DisposeAsync()
    {
        DisposedAfterOwner = OwnerDisposed?.Invoke();
        return _inner.DisposeAsync();
    }

    public Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken ct = default) => _inner.InsertUsersAsync(users, ct);
    public Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken ct = default) => _inner.InsertItemsAsync(items, ct);
    public Task<User?> TryGetUserAsync(string userId, CancellationToken ct = default) => _inner.TryGetUserAsync(userId, ct);
    public Task<Item?> TryGetItemAsync(string itemId, CancellationToken ct = default) => _inner.TryGetItemAsync(itemId, ct);
    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken ct = default) => _inner.PatchUserAsync(userId, patch, ct);
    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken ct = default) => _inner.PatchItemAsync(itemId, patch, ct);
    public Task<bool> DeleteUserAsync(string userId, CancellationToken ct = default) => _inner.DeleteUserAsync(userId, ct);
    public Task<bool> DeleteItemAsync(string itemId, CancellationToken ct = default) => _inner.DeleteItemAsync(itemId, ct);
    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken ct = default) => _inner.AddItemCategoryAsync(itemId, category, ct);
    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken ct = default) => _inner.RemoveItemCategoryAsync(itemId, category, ct);
    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken ct = default) => _inner.ListUsersAsync(cursor, n, ct);
    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken ct = default) => _inner.ListItemsAsync(cursor, n, ct);

    public Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, bool autoCreate = true, CancellationToken ct = default) =>
        _inner.InsertFeedbackAsync(batch, overwrite, autoCreate, ct);
    public Task<IReadOnlyList<Feedback>> GetUserFeedbackAsync(string userId, string? feedbackType = null, CancellationToken ct = default) =>
        _inner.GetUserFeedbackAsync(userId, feedbackType, ct);
    public Task<IReadOnlyList<Feedback>> GetItemFeedbackAsync(string itemId, string? feedbackType = null, CancellationToken ct = default) =>
        _inner.GetItemFeedbackAsync(itemId, feedbackType, ct);
    public Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken ct = default) =>
        _inner.GetUserItemFeedbackAsync(userId, itemId, feedbackType, ct);
    public Task<Page<Feedback>> ListFeedbackAsync(string cursor, int n, string? feedbackType = null, CancellationToken ct = default) =>
        _inner.ListFeedbackAsync(cursor, n, feedbackType, ct);
    public Task<IReadOnlyList<Feedback>> DeleteFeedbackBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken ct = default) =>
        _inner.DeleteFeedbackBeforeAsync(cutoff, max, ct);

    public Task<int> DeleteUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken ct = default) =>
        _inner.DeleteUserItemFeedbackAsync(userId, itemId, feedbackType, ct);
    public IAsyncEnumerable<Feedback> ReadAllFeedbackAsync(CancellationToken ct = default) => _inner.ReadAllFeedbackAsync(ct);
    public Task<long> CountFeedbackAsync(CancellationToken ct = default) => _inner.CountFeedbackAsync(ct);

    public Task<ModelVersion> SaveModelAsync(long version, string kind, DateTimeOffset createdAt, IReadOnlyDictionary<string, double> metrics,
        Stream content, CancellationToken ct = default) => _inner.SaveModelAsync(version, kind, createdAt, metrics, content, ct);
    public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken ct = default) => _inner.ListModelsAsync(ct);
    public Task<Stream?> OpenModelAsync(long version, CancellationToken ct = default) => _inner.OpenModelAsync(version, ct);
    public Task<int> PruneModelsAsync(int keep, CancellationToken ct = default) => _inner.PruneModelsAsync(keep, ct);
    public Task<bool> PromoteModelAsync(long version, CancellationToken ct = default) => _inner.PromoteModelAsync(version, ct);
    public Task<ModelVersion?> GetServingModelAsync(CancellationToken ct = default) => _inner.GetServingModelAsync(ct);

    public Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken ct = default) => _inner.InsertImpressionsAsync(impressions, ct);
    public Task<Impression?> GetImpressionAsync(string id, CancellationToken ct = default) => _inner.GetImpressionAsync(id, ct);
    public Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken ct = default) =>
        _inner.ListRecentImpressionsAsync(since, limit, ct);
    public Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        _inner.FindLastShownAsync(userId, itemId, from, to, ct);
    public Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken ct = default) =>
        _inner.DeleteImpressionsBeforeAsync(cutoff, max, ct);
    public Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken ct = default) => _inner.InsertAttributionsAsync(attributions, ct);
    public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken ct = default) => _inner.ListAttributionsAsync(recommId, ct);
    public Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken ct = default) =>
        _inner.GetExperimentOutcomesAsync(experiment, ct);

    public Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken ct = default) =>
        _inner.PutScenarioAsync(name, definition, updatedAt, ct);
    public Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken ct = default) => _inner.GetScenarioAsync(name, ct);
    public Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken ct = default) => _inner.ListScenariosAsync(ct);
    public Task<bool> DeleteScenarioAsync(string name, CancellationToken ct = default) => _inner.DeleteScenarioAsync(name, ct);

    public Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken ct = default) =>
        _inner.PutExperimentAsync(name, definition, updatedAt, ct);
    public Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken ct = default) => _inner.GetExperimentAsync(name, ct);
    public Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken ct = default) => _inner.ListExperimentsAsync(ct);
    public Task<bool> DeleteExperimentAsync(string name, CancellationToken ct = default) => _inner.DeleteExperimentAsync(name, ct);
}
