using Fresco.Engine.Storage;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Writes of items: the store first (durable), then the catalog's flags and categories, one write at a time under the
/// catalog lock; deleting an item rebuilds the histories of the users who had it (through <see cref="FeedbackIngest"/>,
/// on their stripes). Each method returns once its write is durable and visible. Thread-safe.
/// </summary>
internal sealed class CatalogIngest(IStore store, EngineState state, FeedbackIngest feedback) : IDisposable
{
    private readonly SemaphoreSlim _catalogLock = new(1, 1);

    public async Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await store.InsertItemsAsync(items, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                state.Catalog.Upsert(state.Live.EnsureItem(item.ItemId), item);
            }
            return written;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken) =>
        ChangeItemAsync(itemId, (s, ct) => s.PatchItemAsync(itemId, patch, ct), cancellationToken);

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken) =>
        ChangeItemAsync(itemId, (s, ct) => s.AddItemCategoryAsync(itemId, category, ct), cancellationToken);

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken) =>
        ChangeItemAsync(itemId, (s, ct) => s.RemoveItemCategoryAsync(itemId, category, ct), cancellationToken);

    public async Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await store.GetItemFeedbackAsync(itemId, null, cancellationToken).ConfigureAwait(false);
            if (!await store.DeleteItemAsync(itemId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            if (state.Live.TryGetItemIndex(itemId, out var index))
            {
                state.Catalog.Delete(index);
            }
            foreach (var userId in rows.Select(f => f.UserId).Distinct(StringComparer.Ordinal))
            {
                await feedback.RebuildUserLockedAsync(userId, CancellationToken.None).ConfigureAwait(false);
            }
            state.AddEvents(-rows.Count);
            state.Lists.MarkChanged();
            return true;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    /// <summary>
    /// Brings an item another node inserted, changed or deleted up to date from the store: upserted when stored, else
    /// deleted from the catalog with the histories of the users who had it rebuilt.
    /// </summary>
    public async Task RefreshItemAsync(string itemId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var item = await store.TryGetItemAsync(itemId, cancellationToken).ConfigureAwait(false);
            if (item is not null)
            {
                state.Catalog.Upsert(state.Live.EnsureItem(itemId), item);
                state.Lists.MarkChanged();
                return;
            }
            if (!state.Live.TryGetItemIndex(itemId, out var index) || !state.Catalog.Exists(index))
            {
                return;
            }
            state.Catalog.Delete(index);
            var users = Array.Empty<int>();
            var count = state.Live.UsersOf(index, ref users);
            for (var i = 0; i < count; i++)
            {
                await feedback.RebuildUserLockedAsync(state.Live.GetUserId(users[i]), CancellationToken.None).ConfigureAwait(false);
            }
            state.Lists.MarkChanged();
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    public void Dispose() => _catalogLock.Dispose();

    private async Task<bool> ChangeItemAsync(string itemId, Func<IStore, CancellationToken, Task<bool>> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await change(store, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            var item = await store.TryGetItemAsync(itemId, CancellationToken.None).ConfigureAwait(false);
            if (item is not null)
            {
                state.Catalog.Upsert(state.Live.EnsureItem(itemId), item);
            }
            return true;
        }
        finally
        {
            _catalogLock.Release();
        }
    }
}
