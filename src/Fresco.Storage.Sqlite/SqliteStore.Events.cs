using System.Runtime.CompilerServices;
using Fresco.Engine.Storage;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>The <see cref="IEventStore"/> part of <see cref="SqliteStore"/>.</summary>
public sealed partial class SqliteStore
{
    // One statement per row, reused (prepared once) across batches; the existence check is skipped when $auto = 1.
    private const string InsertFeedbackSql = """
        INSERT INTO feedback (feedback_type, user_id, item_id, value, timestamp)
        SELECT $type, $user, $item, $value, $ts
        WHERE $auto OR (EXISTS (SELECT 1 FROM users WHERE user_id = $user) AND EXISTS (SELECT 1 FROM items WHERE item_id = $item))
        ON CONFLICT (user_id, item_id, feedback_type) DO NOTHING
        """;

    private const string OverwriteFeedbackSql = """
        INSERT INTO feedback (feedback_type, user_id, item_id, value, timestamp)
        SELECT $type, $user, $item, $value, $ts
        WHERE $auto OR (EXISTS (SELECT 1 FROM users WHERE user_id = $user) AND EXISTS (SELECT 1 FROM items WHERE item_id = $item))
        ON CONFLICT (user_id, item_id, feedback_type) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp
        """;

    private const string CreateUserSql = "INSERT INTO users (user_id, labels, comment) VALUES ($id, '[]', '') ON CONFLICT DO NOTHING";

    private const string CreateItemSql = """
        INSERT INTO items (item_id, is_hidden, categories, labels, comment, timestamp)
        VALUES ($id, 0, '[]', '[]', '', 0) ON CONFLICT DO NOTHING
        """;

    public Task<int> InsertFeedbackAsync(
        IReadOnlyList<Feedback> batch, bool overwrite, bool autoCreate = true, CancellationToken cancellationToken = default)
    {
        StoreValidation.Feedback(batch);
        return WriteAsync(tx =>
        {
            var insert = WriterCommand(overwrite ? OverwriteFeedbackSql : InsertFeedbackSql, tx,
                "$type", "$user", "$item", "$value", "$ts", "$auto");
            var createUser = autoCreate ? WriterCommand(CreateUserSql, tx, "$id") : null;
            var createItem = autoCreate ? WriterCommand(CreateItemSql, tx, "$id") : null;
            var createdUsers = new HashSet<string>(StringComparer.Ordinal);
            var createdItems = new HashSet<string>(StringComparer.Ordinal);
            var p = insert.Parameters;
            p[5].Value = autoCreate ? 1 : 0;
            var written = 0;
            foreach (var f in batch)
            {
                if (createUser is not null && !_knownUsers.Contains(f.UserId) && createdUsers.Add(f.UserId))
                {
                    createUser.Parameters[0].Value = f.UserId;
                    createUser.ExecuteNonQuery();
                    _knownUsers.Add(f.UserId);
                }

                if (createItem is not null && !_knownItems.Contains(f.ItemId) && createdItems.Add(f.ItemId))
                {
                    createItem.Parameters[0].Value = f.ItemId;
                    createItem.ExecuteNonQuery();
                    _knownItems.Add(f.ItemId);
                }

                p[0].Value = f.FeedbackType;
                p[1].Value = f.UserId;
                p[2].Value = f.ItemId;
                p[3].Value = f.Value;
                p[4].Value = Ticks(f.Timestamp);
                written += insert.ExecuteNonQuery();
            }

            return written;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Feedback>> GetUserFeedbackAsync(
        string userId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.OptionalType(feedbackType);
        return await QueryAsync(
            $"SELECT {FeedbackColumns} FROM feedback WHERE user_id = $user AND ($type IS NULL OR feedback_type = $type) ORDER BY seq",
            SqliteRows.Feedback, cancellationToken, ("$user", userId), ("$type", Nullable(feedbackType))).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Feedback>> GetItemFeedbackAsync(
        string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return await QueryAsync(
            $"SELECT {FeedbackColumns} FROM feedback WHERE item_id = $item AND ($type IS NULL OR feedback_type = $type) ORDER BY seq",
            SqliteRows.Feedback, cancellationToken, ("$item", itemId), ("$type", Nullable(feedbackType))).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return await QueryAsync(
            $"""
            SELECT {FeedbackColumns} FROM feedback
            WHERE user_id = $user AND item_id = $item AND ($type IS NULL OR feedback_type = $type) ORDER BY seq
            """,
            SqliteRows.Feedback, cancellationToken, ("$user", userId), ("$item", itemId), ("$type", Nullable(feedbackType)))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// A page of feedback in insertion order. With a type, "feedback_type = $type AND seq > $after" seeks the
    /// (feedback_type, seq) index; an OR'ed "$type IS NULL OR ..." would walk every row after the cursor.
    /// </summary>
    internal static string ListFeedbackSql(bool ofType) => ofType
        ? $"SELECT {FeedbackColumns} FROM feedback WHERE feedback_type = $type AND seq > $after ORDER BY seq LIMIT $limit"
        : $"SELECT {FeedbackColumns} FROM feedback WHERE seq > $after ORDER BY seq LIMIT $limit";

    public async Task<Page<Feedback>> ListFeedbackAsync(
        string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(n);
        StoreValidation.OptionalType(feedbackType);
        var after = PageCursor.DecodeSequence(cursor);
        var rows = await QueryAsync(ListFeedbackSql(feedbackType is not null), r => (Row: SqliteRows.Feedback(r), Seq: r.GetInt64(5)), cancellationToken,
            ("$after", after), ("$type", Nullable(feedbackType)), ("$limit", n + 1L)).ConfigureAwait(false);
        return PageCursor.PageOfSequence(rows, n);
    }

    public Task<int> DeleteUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return WriteAsync(tx =>
        {
            using var command = Command(_writer,
                "DELETE FROM feedback WHERE user_id = $user AND item_id = $item AND ($type IS NULL OR feedback_type = $type)", tx);
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$item", itemId);
            command.Parameters.AddWithValue("$type", Nullable(feedbackType));
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <summary>
    /// One statement in the writer's queue, like any write: the <c>feedback_timestamp</c> index finds the oldest rows,
    /// so a batch costs its own rows, not a scan of the table.
    /// </summary>
    public Task<IReadOnlyList<Feedback>> DeleteFeedbackBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        StoreValidation.DeleteBatch(max);
        return WriteAsync<IReadOnlyList<Feedback>>(tx =>
        {
            using var command = Command(_writer, $"""
                DELETE FROM feedback WHERE seq IN (SELECT seq FROM feedback WHERE timestamp < $cutoff ORDER BY timestamp, seq LIMIT $max)
                RETURNING {FeedbackColumns}
                """, tx);
            command.Parameters.AddWithValue("$cutoff", Ticks(cutoff));
            command.Parameters.AddWithValue("$max", max);
            var rows = new List<(Feedback Row, long Ticks, long Seq)>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((SqliteRows.Feedback(reader), reader.GetInt64(4), reader.GetInt64(5)));
                }
            }

            rows.Sort((a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Seq.CompareTo(b.Seq)); // RETURNING has no order
            return [.. rows.Select(r => r.Row)];
        }, cancellationToken);
    }

    public async IAsyncEnumerable<Feedback> ReadAllFeedbackAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One read transaction: the stream is a consistent snapshot even while writers commit (WAL).
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = Command(connection, $"SELECT {FeedbackColumns} FROM feedback ORDER BY seq", transaction);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return SqliteRows.Feedback(reader);
        }
    }

    public async Task<long> CountFeedbackAsync(CancellationToken cancellationToken = default)
    {
        var counts = await QueryAsync("SELECT COUNT(*) FROM feedback", r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return counts[0];
    }
}
