using System.Diagnostics;
using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine;

/// <summary>Writes: the store first (durable), then the in-memory state, under the writer locks.</summary>
public sealed partial class FrescoEngine
{
    private const int Stripes = 64;

    private readonly SemaphoreSlim[] _userLocks = CreateLocks();
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

    public async Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var gate = _userLocks[Stripe(userId)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
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
        }
        finally
        {
            gate.Release();
        }
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
                await RebuildUserLockedAsync(userId, cancellationToken).ConfigureAwait(false);
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

    public async Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var stripes = LockedStripes(batch);
        foreach (var stripe in stripes)
        {
            await _userLocks[stripe].WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            var written = await _store.InsertFeedbackAsync(batch, overwrite, true, cancellationToken).ConfigureAwait(false);
            var acknowledged = Stopwatch.GetTimestamp();
            HashSet<string>? rebuild = null;
            var publish = new HashSet<int>();
            var added = 0;
            foreach (var f in batch)
            {
                var user = _live.ApplyIfNew(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp, onlyNew: true, out var applied);
                _users.Set(user, true);
                _catalog.EnsureExists(_live.EnsureItem(f.ItemId));
                publish.Add(user);
                if (applied == true)
                {
                    added++;
                }
                else if (applied is null || overwrite)
                {
                    // The store kept (insert) or replaced (overwrite) a row this state cannot locate: reload the user.
                    (rebuild ??= new HashSet<string>(StringComparer.Ordinal)).Add(f.UserId);
                }
                Metrics.EventIngested(f.FeedbackType);
            }
            foreach (var user in publish)
            {
                _live.Publish(user);
            }
            foreach (var userId in rebuild ?? [])
            {
                await RebuildUserAsync(userId, cancellationToken).ConfigureAwait(false);
            }
            Interlocked.Add(ref _events, added);
            Interlocked.Add(ref _eventsSinceTraining, batch.Count);
            _lists.MarkChanged();
            Metrics.Freshness(acknowledged);
            return written;
        }
        finally
        {
            foreach (var stripe in stripes)
            {
                _userLocks[stripe].Release();
            }
        }
    }

    public async Task<int> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var gate = _userLocks[Stripe(userId)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deleted = await _store.DeleteUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                await RebuildUserAsync(userId, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _events, -deleted);
                _lists.MarkChanged();
            }
            return deleted;
        }
        finally
        {
            gate.Release();
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
            var item = await _store.TryGetItemAsync(itemId, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Replaces the user's live history by their stored rows; the caller holds the user's stripe.</summary>
    private async Task RebuildUserAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await _store.GetUserFeedbackAsync(userId, null, cancellationToken).ConfigureAwait(false);
        var events = new LiveEvent[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var f = rows[i];
            events[i] = new LiveEvent(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp);
        }
        _live.ReplaceUser(userId, events);
    }

    private async Task RebuildUserLockedAsync(string userId, CancellationToken cancellationToken)
    {
        var gate = _userLocks[Stripe(userId)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RebuildUserAsync(userId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static int[] LockedStripes(IReadOnlyList<Feedback> batch)
    {
        Span<bool> seen = stackalloc bool[Stripes];
        var count = 0;
        foreach (var f in batch)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentException.ThrowIfNullOrEmpty(f.UserId);
            ref var s = ref seen[Stripe(f.UserId)];
            count += s ? 0 : 1;
            s = true;
        }
        var stripes = new int[count];
        var n = 0;
        for (var i = 0; i < Stripes; i++)
        {
            if (seen[i])
            {
                stripes[n++] = i;
            }
        }
        return stripes;
    }

    private static int Stripe(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % Stripes);

    private static SemaphoreSlim[] CreateLocks()
    {
        var locks = new SemaphoreSlim[Stripes];
        for (var i = 0; i < Stripes; i++)
        {
            locks[i] = new SemaphoreSlim(1, 1);
        }
        return locks;
    }
}
