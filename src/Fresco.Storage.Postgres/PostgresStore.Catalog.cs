using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;
using NpgsqlTypes;
using static Fresco.Storage.Postgres.PostgresRows;

namespace Fresco.Storage.Postgres;

/// <summary>The <see cref="ICatalogStore"/> part of <see cref="PostgresStore"/>.</summary>
public sealed partial class PostgresStore
{
    private const string UpsertUserSql = """
        INSERT INTO users (user_id, labels, comment) VALUES ($1, $2, $3)
        ON CONFLICT (user_id) DO UPDATE SET labels = excluded.labels, comment = excluded.comment
        """;

    private const string UpsertItemSql = """
        INSERT INTO items (item_id, is_hidden, categories, labels, comment, ts) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (item_id) DO UPDATE SET is_hidden = excluded.is_hidden, categories = excluded.categories,
            labels = excluded.labels, comment = excluded.comment, ts = excluded.ts
        """;

    public Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default)
    {
        StoreValidation.Users(users);
        // One statement per row (labels are arrays of varying length, which unnest cannot take), all in one round trip.
        return WriteAsync(async (connection, transaction) =>
        {
            var written = await ExecuteRowsAsync(connection, transaction, users, user => new NpgsqlBatchCommand(UpsertUserSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = user.UserId },
                    new NpgsqlParameter<string[]> { TypedValue = user.Labels ?? [] },
                    new NpgsqlParameter<string> { TypedValue = user.Comment ?? "" },
                },
            }).ConfigureAwait(false);
            await LogChangesAsync(connection, transaction, ChangeKind.User, [.. users.Select(u => u.UserId)]).ConfigureAwait(false);
            return written;
        }, cancellationToken);
    }

    public Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default)
    {
        StoreValidation.Items(items);
        return WriteAsync(async (connection, transaction) =>
        {
            var written = await ExecuteRowsAsync(connection, transaction, items, item => new NpgsqlBatchCommand(UpsertItemSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = item.ItemId },
                    new NpgsqlParameter<bool> { TypedValue = item.IsHidden },
                    new NpgsqlParameter<string[]> { TypedValue = item.Categories ?? [] },
                    new NpgsqlParameter<string[]> { TypedValue = item.Labels ?? [] },
                    new NpgsqlParameter<string> { TypedValue = item.Comment ?? "" },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = Utc(item.Timestamp) },
                },
            }).ConfigureAwait(false);
            await LogChangesAsync(connection, transaction, ChangeKind.Item, [.. items.Select(i => i.ItemId)]).ConfigureAwait(false);
            return written;
        }, cancellationToken);
    }

    private static async Task<int> ExecuteRowsAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<T> rows,
        Func<T, NpgsqlBatchCommand> statement)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var row in rows)
        {
            batch.BatchCommands.Add(statement(row));
        }

        return await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task<User?> TryGetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        var users = await QueryAsync($"SELECT {UserColumns} FROM users WHERE user_id = @id", PostgresRows.User,
            cancellationToken, ("id", userId)).ConfigureAwait(false);
        return users.Count == 0 ? null : users[0];
    }

    public async Task<Item?> TryGetItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        var items = await QueryAsync($"SELECT {ItemColumns} FROM items WHERE item_id = @id", PostgresRows.Item,
            cancellationToken, ("id", itemId)).ConfigureAwait(false);
        return items.Count == 0 ? null : items[0];
    }

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        ArgumentNullException.ThrowIfNull(patch);
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, """
                UPDATE users SET labels = COALESCE(@labels, labels), comment = COALESCE(@comment, comment) WHERE user_id = @id
                """, transaction);
            command.Parameters.AddWithValue("id", userId);
            command.Parameters.Add(new NpgsqlParameter("labels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Nullable(patch.Labels) });
            command.Parameters.Add(new NpgsqlParameter("comment", NpgsqlDbType.Text) { Value = Nullable(patch.Comment) });
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    public Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        ArgumentNullException.ThrowIfNull(patch);
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, """
                UPDATE items SET is_hidden = COALESCE(@hidden, is_hidden), categories = COALESCE(@categories, categories),
                    labels = COALESCE(@labels, labels), comment = COALESCE(@comment, comment), ts = COALESCE(@ts, ts)
                WHERE item_id = @id
                """, transaction);
            command.Parameters.AddWithValue("id", itemId);
            command.Parameters.Add(new NpgsqlParameter("hidden", NpgsqlDbType.Boolean) { Value = Nullable(patch.IsHidden) });
            command.Parameters.Add(new NpgsqlParameter("categories", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Nullable(patch.Categories) });
            command.Parameters.Add(new NpgsqlParameter("labels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Nullable(patch.Labels) });
            command.Parameters.Add(new NpgsqlParameter("comment", NpgsqlDbType.Text) { Value = Nullable(patch.Comment) });
            command.Parameters.Add(new NpgsqlParameter("ts", NpgsqlDbType.TimestampTz) { Value = Nullable(patch.Timestamp is { } ts ? Utc(ts) : null) });
            return await LoggedAsync(connection, transaction, await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0, ChangeKind.Item, itemId)
                .ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        return WriteAsync(async (connection, transaction) =>
        {
            await DeleteKeysAsync(connection, transaction, "DELETE FROM feedback_keys WHERE user_id = @id RETURNING seq",
                "DELETE FROM feedback WHERE user_id = @id AND seq = ANY(@seqs)", ("id", userId)).ConfigureAwait(false);
            var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM users WHERE user_id = @id", CancellationToken.None,
                ("id", userId)).ConfigureAwait(false) > 0;
            return await LoggedAsync(connection, transaction, deleted, ChangeKind.UserDeleted, userId).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        return WriteAsync(async (connection, transaction) =>
        {
            // The users who had the item reload their histories on the other nodes.
            await ExecuteAsync(connection, transaction, """
                INSERT INTO changes (node, kind, key) SELECT DISTINCT @node, 2, user_id FROM feedback WHERE item_id = @id
                """, CancellationToken.None, ("node", _options.Node), ("id", itemId)).ConfigureAwait(false);
            // feedback_keys is keyed by user first: its rows of an item are found through the item's feedback rows.
            await DeleteKeysAsync(connection, transaction, """
                DELETE FROM feedback_keys k USING (SELECT DISTINCT user_id, feedback_type FROM feedback WHERE item_id = @id) f
                WHERE k.user_id = f.user_id AND k.item_id = @id AND k.feedback_type = f.feedback_type
                RETURNING k.seq
                """, "DELETE FROM feedback WHERE item_id = @id AND seq = ANY(@seqs)", ("id", itemId)).ConfigureAwait(false);
            var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM items WHERE item_id = @id", CancellationToken.None,
                ("id", itemId)).ConfigureAwait(false) > 0;
            return await LoggedAsync(connection, transaction, deleted, ChangeKind.Item, itemId).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        EditCategoriesAsync(itemId, category,
            "UPDATE items SET categories = array_append(categories, @category) WHERE item_id = @id AND NOT (@category = ANY(categories))",
            cancellationToken);

    public Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        EditCategoriesAsync(itemId, category,
            "UPDATE items SET categories = array_remove(categories, @category) WHERE item_id = @id AND @category = ANY(categories)",
            cancellationToken);

    public Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        ListByIdAsync("users", "user_id", UserColumns, PostgresRows.User, u => u.UserId, cursor, n, cancellationToken);

    public Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default) =>
        ListByIdAsync("items", "item_id", ItemColumns, PostgresRows.Item, i => i.ItemId, cursor, n, cancellationToken);

    /// <summary>Edits the categories when needed; true when the item exists (changed or not).</summary>
    private Task<bool> EditCategoriesAsync(string itemId, string category, string updateSql, CancellationToken cancellationToken)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.Id(category, nameof(category));
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, $"""
                WITH changed AS ({updateSql} RETURNING 1)
                SELECT EXISTS (SELECT 1 FROM changed) OR EXISTS (SELECT 1 FROM items WHERE item_id = @id)
                """, transaction);
            command.Parameters.AddWithValue("id", itemId);
            command.Parameters.AddWithValue("category", category);
            return await LoggedAsync(connection, transaction, (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!, ChangeKind.Item,
                itemId).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// A page of a table by id: "id > @after ORDER BY id LIMIT" seeks the primary key (an OR'ed "@after IS NULL OR ..."
    /// would not), so paging through a large catalog stays linear.
    /// </summary>
    internal static string ListByIdSql(string table, string column, string columns, bool afterCursor) => afterCursor
        ? $"SELECT {columns} FROM {table} WHERE {column} > @after ORDER BY {column} LIMIT @limit"
        : $"SELECT {columns} FROM {table} ORDER BY {column} LIMIT @limit";

    private async Task<Page<T>> ListByIdAsync<T>(string table, string column, string columns, Func<NpgsqlDataReader, T> map,
        Func<T, string> key, string cursor, int n, CancellationToken cancellationToken)
    {
        StoreValidation.PageSize(n);
        var after = PageCursor.Decode(cursor);
        var rows = await QueryAsync(ListByIdSql(table, column, columns, after is not null), map, cancellationToken,
            ("after", after ?? ""), ("limit", n + 1L)).ConfigureAwait(false);
        return PageCursor.PageOf(rows, n, key);
    }
}
