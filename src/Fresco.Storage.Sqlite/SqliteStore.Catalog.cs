using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>The <see cref="ICatalogStore"/> part of <see cref="SqliteStore"/>.</summary>
public sealed partial class SqliteStore
{
    private const string UpsertUserSql = """
        INSERT INTO users (user_id, labels, comment) VALUES ($id, $labels, $comment)
        ON CONFLICT (user_id) DO UPDATE SET labels = excluded.labels, comment = excluded.comment
        """;

    private const string UpsertItemSql = """
        INSERT INTO items (item_id, is_hidden, categories, labels, comment, timestamp)
        VALUES ($id, $hidden, $categories, $labels, $comment, $ts)
        ON CONFLICT (item_id) DO UPDATE SET is_hidden = excluded.is_hidden, categories = excluded.categories,
            labels = excluded.labels, comment = excluded.comment, timestamp = excluded.timestamp
        """;

    public Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default)
    {
        StoreValidation.Users(users);
        return WriteAsync(tx =>
        {
            var command = WriterCommand(UpsertUserSql, tx, "$id", "$labels", "$comment");
            var written = 0;
            foreach (var user in users)
            {
                command.Parameters[0].Value = user.UserId;
                command.Parameters[1].Value = Json(user.Labels);
                command.Parameters[2].Value = user.Comment ?? "";
                written += command.ExecuteNonQuery();
            }

            return written;
        }, cancellationToken);
    }

    public Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoreValidation.Items(items);
        return WriteAsync(tx =>
        {
            var command = WriterCommand(UpsertItemSql, tx, "$id", "$hidden", "$categories", "$labels", "$comment", "$ts");
            var written = 0;
            foreach (var item in items)
            {
                command.Parameters[0].Value = item.ItemId;
                command.Parameters[1].Value = item.IsHidden ? 1 : 0;
                command.Parameters[2].Value = Json(item.Categories);
                command.Parameters[3].Value = Json(item.Labels);
                command.Parameters[4].Value = item.Comment ?? "";
                command.Parameters[5].Value = Ticks(item.Timestamp);
                written += command.ExecuteNonQuery();
            }

            return written;
        }, cancellationToken);
    }

    public async Task<User?> TryGetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        var users = await QueryAsync($"SELECT {UserColumns} FROM users WHERE user_id = $id", SqliteRows.User,
            cancellationToken, ("$id", userId)).ConfigureAwait(false);
        return users.Count == 0 ? null : users[0];
    }

    public async Task<Item?> TryGetItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        var items = await QueryAsync($"SELECT {ItemColumns} FROM items WHERE item_id = $id", SqliteRows.Item,
            cancellationToken, ("$id", itemId)).ConfigureAwait(false);
        return items.Count == 0 ? null : items[0];
    }

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        ArgumentNullException.ThrowIfNull(patch);
        return WriteAsync(tx =>
        {
            using var command = Command(_writer, """
                UPDATE users SET labels = COALESCE($labels, labels), comment = COALESCE($comment, comment)
                WHERE user_id = $id
                """, tx);
            command.Parameters.AddWithValue("$id", userId);
            command.Parameters.AddWithValue("$labels", Nullable(patch.Labels is null ? null : Json(patch.Labels)));
            command.Parameters.AddWithValue("$comment", Nullable(patch.Comment));
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        ArgumentNullException.ThrowIfNull(patch);
        return WriteAsync(tx =>
        {
            using var command = Command(_writer, """
                UPDATE items SET is_hidden = COALESCE($hidden, is_hidden), categories = COALESCE($categories, categories),
                    labels = COALESCE($labels, labels), comment = COALESCE($comment, comment),
                    timestamp = COALESCE($ts, timestamp)
                WHERE item_id = $id
                """, tx);
            command.Parameters.AddWithValue("$id", itemId);
            command.Parameters.AddWithValue("$hidden", Nullable(patch.IsHidden is { } hidden ? (hidden ? 1 : 0) : null));
            command.Parameters.AddWithValue("$categories", Nullable(patch.Categories is null ? null : Json(patch.Categories)));
            command.Parameters.AddWithValue("$labels", Nullable(patch.Labels is null ? null : Json(patch.Labels)));
            command.Parameters.AddWithValue("$comment", Nullable(patch.Comment));
            command.Parameters.AddWithValue("$ts", Nullable(patch.Timestamp is { } ts ? Ticks(ts) : null));
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default) =>
        DeleteWithFeedbackAsync("users", "user_id", userId, _knownUsers, cancellationToken);

    public Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        DeleteWithFeedbackAsync("items", "item_id", itemId, _knownItems, cancellationToken);

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        EditCategoriesAsync(itemId, category, add: true, cancellationToken);

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        EditCategoriesAsync(itemId, category, add: false, cancellationToken);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        ListByIdAsync("users", "user_id", UserColumns, SqliteRows.User, u => u.UserId, cursor, n, cancellationToken);

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        ListByIdAsync("items", "item_id", ItemColumns, SqliteRows.Item, i => i.ItemId, cursor, n, cancellationToken);

    private Task<bool> DeleteWithFeedbackAsync(string table, string column, string id, KnownIds known, CancellationToken cancellationToken)
    {
        StoreValidation.Id(id, column);
        return WriteAsync(tx =>
        {
            known.Forget(id);
            using var feedback = Command(_writer, $"DELETE FROM feedback WHERE {column} = $id", tx);
            feedback.Parameters.AddWithValue("$id", id);
            feedback.ExecuteNonQuery();
            using var row = Command(_writer, $"DELETE FROM {table} WHERE {column} = $id", tx);
            row.Parameters.AddWithValue("$id", id);
            return row.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    private Task<bool> EditCategoriesAsync(string itemId, string category, bool add, CancellationToken cancellationToken)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.Id(category, nameof(category));
        return WriteAsync(tx =>
        {
            using var read = Command(_writer, "SELECT categories FROM items WHERE item_id = $id", tx);
            read.Parameters.AddWithValue("$id", itemId);
            if (read.ExecuteScalar() is not string json)
            {
                return false;
            }

            var categories = Strings(json).ToList();
            var changed = add ? !categories.Contains(category) : categories.Remove(category);
            if (changed && add)
            {
                categories.Add(category);
            }

            using var write = Command(_writer, "UPDATE items SET categories = $categories WHERE item_id = $id", tx);
            write.Parameters.AddWithValue("$id", itemId);
            write.Parameters.AddWithValue("$categories", Json([.. categories]));
            write.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// A page of a table by id. Two statements, not "$after IS NULL OR id > $after": with the OR, SQLite cannot seek
    /// the primary key and scans every row before the cursor, so paging through a large catalog took quadratic time.
    /// </summary>
    internal static string ListByIdSql(string table, string column, string columns, bool afterCursor) => afterCursor
        ? $"SELECT {columns} FROM {table} WHERE {column} > $after ORDER BY {column} LIMIT $limit"
        : $"SELECT {columns} FROM {table} ORDER BY {column} LIMIT $limit";

    private async Task<Page<T>> ListByIdAsync<T>(string table, string column, string columns, Func<SqliteDataReader, T> map,
        Func<T, string> key, string cursor, int n, CancellationToken cancellationToken)
    {
        StoreValidation.PageSize(n);
        var after = PageCursor.Decode(cursor);
        var rows = await QueryAsync(ListByIdSql(table, column, columns, after is not null), map, cancellationToken,
            ("$after", Nullable(after)), ("$limit", n + 1L)).ConfigureAwait(false);
        return PageCursor.PageOf(rows, n, key);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<T>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
