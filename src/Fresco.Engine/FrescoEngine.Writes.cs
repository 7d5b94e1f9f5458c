using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine;

/// <summary>Writes: the store first (durable), then the in-memory state, ordered per user stripe or under the catalog lock.</summary>
public sealed partial class FrescoEngine
{
    private const int Stripes = 64;

    private readonly WriteSequencer _writes = new(Stripes);
    private readonly SemaphoreSlim _catalogLock = new(1, 1);

    public async Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default)
    {
        var written = await _store.InsertUsersAsync(users, cancellationToken).ConfigureAwait(false);
        foreach (var user in users)
        {
            _users.Set(_live.EnsureUser(user.UserId), true);
        }
        return written;
    }

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default) =>
        _store.PatchUserAsync(userId, patch, cancellationToken);

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            var rows = await _store.GetUserFeedbackAsync(userId, null, cancellationToken).ConfigureAwait(false);
            if (!await _store.DeleteUserAsync(userId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            if (_live.TryGetUserIndex(userId, out var index))
            {
                _users.Set(index, false);
                _live.ReplaceUser(userId, []);
            }
            Interlocked.Add(ref _events, -rows.Count);
            _lists.MarkChanged();
            return true;
        });
    }

    public async Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await _store.InsertItemsAsync(items, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                _catalog.Upsert(_live.EnsureItem(item.ItemId), item);
            }
            return written;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default) =>
        ChangeItemAsync(itemId, (store, ct) => store.PatchItemAsync(itemId, patch, ct), cancellationToken);

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        ChangeItemAsync(itemId, (store, ct) => store.AddItemCategoryAsync(itemId, category, ct), cancellationToken);

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        ChangeItemAsync(itemId, (store, ct) => store.RemoveItemCategoryAsync(itemId, category, ct), cancellationToken);

    public async Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = await _store.GetItemFeedbackAsync(itemId, null, cancellationToken).ConfigureAwait(false);
            if (!await _store.DeleteItemAsync(itemId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            if (_live.TryGetItemIndex(itemId, out var index))
            {
                _catalog.Delete(index);
            }
            foreach (var userId in rows.Select(f => f.UserId).Distinct(StringComparer.Ordinal))
            {
                await RebuildUserLockedAsync(userId, CancellationToken.None).ConfigureAwait(false);
            }
            Interlocked.Add(ref _events, -rows.Count);
            _lists.MarkChanged();
            return true;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    private async Task<bool> ChangeItemAsync(string itemId, Func<IStore, CancellationToken, Task<bool>> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await change(_store, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            var item = await _store.TryGetItemAsync(itemId, CancellationToken.None).ConfigureAwait(false);
            if (item is not null)
            {
                _catalog.Upsert(_live.EnsureItem(itemId), item);
            }
            return true;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    private static int Stripe(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % Stripes);
}
