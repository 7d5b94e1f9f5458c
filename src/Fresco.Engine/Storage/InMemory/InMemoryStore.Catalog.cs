namespace Fresco.Engine.Storage.InMemory;

/// <summary>The <see cref="ICatalogStore"/> part of <see cref="InMemoryStore"/>.</summary>
public sealed partial class InMemoryStore
{
    public Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default)
    {
        StoreValidation.Users(users);
        lock (_lock)
        {
            foreach (var user in users)
            {
                _users[user.UserId] = Normalize(user);
            }
        }

        return Task.FromResult(users.Count);
    }

    public Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoreValidation.Items(items);
        lock (_lock)
        {
            foreach (var item in items)
            {
                _items[item.ItemId] = Normalize(item);
            }
        }

        return Task.FromResult(items.Count);
    }

    public Task<User?> TryGetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        lock (_lock)
        {
            return Task.FromResult(_users.TryGetValue(userId, out var user) ? Normalize(user) : null);
        }
    }

    public Task<Item?> TryGetItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        lock (_lock)
        {
            return Task.FromResult(_items.TryGetValue(itemId, out var item) ? Normalize(item) : null);
        }
    }

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        ArgumentNullException.ThrowIfNull(patch);
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var user))
            {
                return Task.FromResult(false);
            }

            _users[userId] = Normalize(user with { Labels = patch.Labels ?? user.Labels, Comment = patch.Comment ?? user.Comment });
            return Task.FromResult(true);
        }
    }

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        ArgumentNullException.ThrowIfNull(patch);
        lock (_lock)
        {
            if (!_items.TryGetValue(itemId, out var item))
            {
                return Task.FromResult(false);
            }

            _items[itemId] = Normalize(item with
            {
                IsHidden = patch.IsHidden ?? item.IsHidden,
                Categories = patch.Categories ?? item.Categories,
                Labels = patch.Labels ?? item.Labels,
                Comment = patch.Comment ?? item.Comment,
                Timestamp = patch.Timestamp ?? item.Timestamp,
            });
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        lock (_lock)
        {
            RemoveFeedbackWhere(f => f.UserId == userId);
            return Task.FromResult(_users.Remove(userId));
        }
    }

    public Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        lock (_lock)
        {
            RemoveFeedbackWhere(f => f.ItemId == itemId);
            return Task.FromResult(_items.Remove(itemId));
        }
    }

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        EditCategories(itemId, category, c => c.Contains(category) ? c : [.. c, category]);

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        EditCategories(itemId, category, c => [.. c.Where(x => x != category)]);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(n);
        var after = PageCursor.Decode(cursor);
        lock (_lock)
        {
            var rows = _users.Values.Where(u => after is null || string.CompareOrdinal(u.UserId, after) > 0)
                .Take(n + 1).Select(Normalize).ToList();
            return Task.FromResult(ToPage(rows, n, u => u.UserId));
        }
    }

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(n);
        var after = PageCursor.Decode(cursor);
        lock (_lock)
        {
            var rows = _items.Values.Where(i => after is null || string.CompareOrdinal(i.ItemId, after) > 0)
                .Take(n + 1).Select(Normalize).ToList();
            return Task.FromResult(ToPage(rows, n, i => i.ItemId));
        }
    }

    private Task<bool> EditCategories(string itemId, string category, Func<string[], string[]> edit)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.Id(category, nameof(category));
        lock (_lock)
        {
            if (!_items.TryGetValue(itemId, out var item))
            {
                return Task.FromResult(false);
            }

            _items[itemId] = item with { Categories = edit(item.Categories) };
            return Task.FromResult(true);
        }
    }

    private int RemoveFeedbackWhere(Func<Feedback, bool> predicate)
    {
        var doomed = _feedback.Where(e => predicate(e.Value)).ToList();
        foreach (var (seq, f) in doomed)
        {
            _feedback.Remove(seq);
            _feedbackKeys.Remove((f.FeedbackType, f.UserId, f.ItemId));
        }

        return doomed.Count;
    }
}
