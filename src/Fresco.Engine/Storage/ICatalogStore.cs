namespace Fresco.Engine.Storage;

/// <summary>
/// Users and items. Implementations are thread-safe; a method returns only once its write is durable, and a
/// rejected call (<see cref="ArgumentException"/>) writes nothing.
/// </summary>
public interface ICatalogStore
{
    /// <summary>Inserts or replaces users, as one transaction. Returns the number of rows written.</summary>
    Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces items, as one transaction. Returns the number of rows written.</summary>
    Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default);

    Task<User?> TryGetUserAsync(string userId, CancellationToken cancellationToken = default);

    Task<Item?> TryGetItemAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Applies the non-null fields of <paramref name="patch"/>. Returns false when the user is absent.</summary>
    Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default);

    /// <summary>Applies the non-null fields of <paramref name="patch"/>. Returns false when the item is absent.</summary>
    Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user and all its feedback. Returns false when the user was absent.</summary>
    Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Deletes an item and all its feedback. Returns false when the item was absent.</summary>
    Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Adds a category to an item (no duplicate). Returns false when the item is absent.</summary>
    Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default);

    /// <summary>Removes a category from an item. Returns false when the item is absent.</summary>
    Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default);

    /// <summary>Lists up to <paramref name="n"/> users after <paramref name="cursor"/> (empty = from the start), by id.</summary>
    Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default);

    /// <summary>Lists up to <paramref name="n"/> items after <paramref name="cursor"/> (empty = from the start), by id.</summary>
    Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default);
}
