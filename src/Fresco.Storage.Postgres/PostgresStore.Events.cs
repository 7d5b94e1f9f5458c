using System.Data;
using System.Runtime.CompilerServices;
using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;
using NpgsqlTypes;
using static Fresco.Storage.Postgres.PostgresRows;

namespace Fresco.Storage.Postgres;

/// <summary>The <see cref="IEventStore"/> part of <see cref="PostgresStore"/>.</summary>
public sealed partial class PostgresStore
{
    // The batch arrives as arrays (one parameter per column) and is expanded by unnest: one statement per batch. Missing
    // users and items are created first when @auto, in id order (so that writers of several nodes creating the same new
    // ids take their locks in one order and do not deadlock); otherwise rows naming them are dropped. Keys are claimed in batch
    // order (ORDER BY ord), so new keys get their sequence numbers in call order.
    private const string BatchInput = """
        WITH input AS (
            SELECT * FROM unnest(@types, @users, @items, @values, @times, @ords) AS t(feedback_type, user_id, item_id, value, ts, ord)
        ), new_users AS (
            INSERT INTO users (user_id) SELECT DISTINCT user_id FROM input WHERE @auto ORDER BY user_id ON CONFLICT DO NOTHING
        ), new_items AS (
            INSERT INTO items (item_id) SELECT DISTINCT item_id FROM input WHERE @auto ORDER BY item_id ON CONFLICT DO NOTHING
        ), accepted AS (
            SELECT * FROM input i WHERE @auto OR (EXISTS (SELECT 1 FROM users u WHERE u.user_id = i.user_id)
                AND EXISTS (SELECT 1 FROM items t WHERE t.item_id = i.item_id))
        )
        """;

    /// <summary>
    /// Insert: only keys not yet claimed get a row (ON CONFLICT DO NOTHING waits for a concurrent claimer). The rows
    /// written go to the change log as one row of arrays, in insertion order (none when no row was written).
    /// </summary>
    private static readonly string s_insertFeedbackSql = BatchInput + $"""
        , claimed AS (
            INSERT INTO feedback_keys (user_id, item_id, feedback_type)
            SELECT user_id, item_id, feedback_type FROM accepted ORDER BY ord
            ON CONFLICT DO NOTHING
            RETURNING seq, user_id, item_id, feedback_type
        ), written AS (
            SELECT c.seq, a.feedback_type, a.user_id, a.item_id, a.value, a.ts
            FROM claimed c JOIN accepted a USING (user_id, item_id, feedback_type)
        ), logged AS (
            INSERT INTO changes (node, kind, key, user_ids, item_ids, feedback_types, feedback_values, feedback_times)
            SELECT @node, {PostgresSchema.FeedbackRowsKind}, '', array_agg(user_id ORDER BY seq), array_agg(item_id ORDER BY seq),
                array_agg(feedback_type ORDER BY seq), array_agg(value ORDER BY seq), array_agg(ts ORDER BY seq)
            FROM written
            HAVING count(*) > 0
        )
        INSERT INTO feedback (seq, feedback_type, user_id, item_id, value, ts) SELECT * FROM written
        """;

    /// <summary>
    /// Overwrite, step 1: claims or locks every key (a no-op update takes the row lock and keeps the sequence) and says
    /// which existed. Step 2 (<see cref="ReplaceFeedbackSql"/>) runs as a new statement, so it sees the latest committed
    /// rows of these keys, now locked: the old row (wherever its timestamp put it) is deleted and the new one inserted.
    /// </summary>
    private const string ClaimFeedbackSql = BatchInput + """
        , claimed AS (
            INSERT INTO feedback_keys AS k (user_id, item_id, feedback_type)
            SELECT user_id, item_id, feedback_type FROM accepted ORDER BY ord
            ON CONFLICT (user_id, item_id, feedback_type) DO UPDATE SET seq = k.seq
            RETURNING k.seq, k.user_id, k.item_id, k.feedback_type, NOT (k.xmax = 0) AS existed
        )
        SELECT c.seq, a.ord, c.existed FROM claimed c JOIN accepted a USING (user_id, item_id, feedback_type)
        """;

    private const string ReplaceFeedbackSql = """
        DELETE FROM feedback WHERE seq = ANY(@old);
        INSERT INTO feedback (seq, feedback_type, user_id, item_id, value, ts)
        SELECT * FROM unnest(@seqs, @types, @users, @items, @values, @times);
        INSERT INTO changes (node, kind, key) SELECT DISTINCT @node, 2, u FROM unnest(@users) AS u;
        """;

    public Task<int> InsertFeedbackAsync(
        IReadOnlyList<Feedback> batch, bool overwrite, bool autoCreate = true, CancellationToken cancellationToken = default)
    {
        StoreValidation.Feedback(batch);
        var rows = Deduplicate(batch, overwrite);
        if (rows.Length == 0)
        {
            return Task.FromResult(0);
        }

        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, overwrite ? ClaimFeedbackSql : s_insertFeedbackSql, transaction);
            AddBatch(command, rows, withOrder: true);
            command.Parameters.AddWithValue("auto", autoCreate);
            command.Parameters.AddWithValue("node", _options.Node);
            if (!overwrite)
            {
                return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            var seqs = new List<long>(rows.Length);
            var order = new List<int>(rows.Length);
            var old = new List<long>();
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    seqs.Add(reader.GetInt64(0));
                    order.Add(reader.GetInt32(1));
                    if (reader.GetBoolean(2))
                    {
                        old.Add(reader.GetInt64(0));
                    }
                }
            }

            await using var replace = Command(connection, ReplaceFeedbackSql, transaction);
            replace.Parameters.AddWithValue("old", old.ToArray());
            replace.Parameters.AddWithValue("seqs", seqs.ToArray());
            replace.Parameters.AddWithValue("node", _options.Node);
            AddBatch(replace, [.. order.Select(i => rows[i])], withOrder: false);
            await replace.ExecuteNonQueryAsync().ConfigureAwait(false);
            return seqs.Count;
        }, cancellationToken, MissingMonths(rows), autoCreate ? rows : null);
    }

    /// <summary>One row per key, in first-occurrence order: the first row of a key (insert) or its last (overwrite).</summary>
    private static Feedback[] Deduplicate(IReadOnlyList<Feedback> batch, bool overwrite)
    {
        var index = new Dictionary<(string, string, string), int>(batch.Count);
        var rows = new List<Feedback>(batch.Count);
        foreach (var f in batch)
        {
            var key = (f.FeedbackType, f.UserId, f.ItemId);
            if (index.TryGetValue(key, out var at))
            {
                if (overwrite)
                {
                    rows[at] = f;
                }
            }
            else
            {
                index.Add(key, rows.Count);
                rows.Add(f);
            }
        }

        return [.. rows];
    }

    private static void AddBatch(NpgsqlCommand command, Feedback[] rows, bool withOrder)
    {
        var types = new string[rows.Length];
        var users = new string[rows.Length];
        var items = new string[rows.Length];
        var values = new double[rows.Length];
        var times = new DateTimeOffset[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            (types[i], users[i], items[i], values[i], times[i]) = (rows[i].FeedbackType, rows[i].UserId, rows[i].ItemId, rows[i].Value, Utc(rows[i].Timestamp));
        }

        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]>("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = types });
        p.Add(new NpgsqlParameter<string[]>("users", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = users });
        p.Add(new NpgsqlParameter<string[]>("items", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = items });
        p.Add(new NpgsqlParameter<double[]>("values", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = values });
        p.Add(new NpgsqlParameter<DateTimeOffset[]>("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = times });
        if (withOrder)
        {
            p.Add(new NpgsqlParameter<int[]>("ords", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. Enumerable.Range(0, rows.Length)] });
        }
    }

    public async Task<IReadOnlyList<Feedback>> GetUserFeedbackAsync(
        string userId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.OptionalType(feedbackType);
        return feedbackType is null
            ? await QueryAsync($"SELECT {FeedbackColumns} FROM feedback WHERE user_id = @user ORDER BY seq",
                PostgresRows.Feedback, cancellationToken, ("user", userId)).ConfigureAwait(false)
            : await QueryAsync($"SELECT {FeedbackColumns} FROM feedback WHERE user_id = @user AND feedback_type = @type ORDER BY seq",
                PostgresRows.Feedback, cancellationToken, ("user", userId), ("type", feedbackType)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Feedback>> GetItemFeedbackAsync(
        string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return feedbackType is null
            ? await QueryAsync($"SELECT {FeedbackColumns} FROM feedback WHERE item_id = @item ORDER BY seq",
                PostgresRows.Feedback, cancellationToken, ("item", itemId)).ConfigureAwait(false)
            : await QueryAsync($"SELECT {FeedbackColumns} FROM feedback WHERE item_id = @item AND feedback_type = @type ORDER BY seq",
                PostgresRows.Feedback, cancellationToken, ("item", itemId), ("type", feedbackType)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return feedbackType is null
            ? await QueryAsync($"SELECT {FeedbackColumns} FROM feedback WHERE user_id = @user AND item_id = @item ORDER BY seq",
                PostgresRows.Feedback, cancellationToken, ("user", userId), ("item", itemId)).ConfigureAwait(false)
            : await QueryAsync(
                $"SELECT {FeedbackColumns} FROM feedback WHERE user_id = @user AND item_id = @item AND feedback_type = @type ORDER BY seq",
                PostgresRows.Feedback, cancellationToken, ("user", userId), ("item", itemId), ("type", feedbackType)).ConfigureAwait(false);
    }

    /// <summary>
    /// A page of feedback in insertion order: each partition's (seq) or (feedback_type, seq) index is seeked after the
    /// cursor and the partitions merged (Merge Append), so no page sorts or scans from the start.
    /// </summary>
    internal static string ListFeedbackSql(bool ofType) => ofType
        ? $"SELECT {FeedbackColumns} FROM feedback WHERE feedback_type = @type AND seq > @after ORDER BY seq LIMIT @limit"
        : $"SELECT {FeedbackColumns} FROM feedback WHERE seq > @after ORDER BY seq LIMIT @limit";

    public async Task<Page<Feedback>> ListFeedbackAsync(
        string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(n);
        StoreValidation.OptionalType(feedbackType);
        var after = PageCursor.DecodeSequence(cursor);
        var rows = await QueryAsync(ListFeedbackSql(feedbackType is not null), r => (Row: PostgresRows.Feedback(r), Seq: r.GetInt64(5)),
            cancellationToken, ("after", after), ("type", feedbackType ?? ""), ("limit", n + 1L)).ConfigureAwait(false);
        return PageCursor.PageOfSequence(rows, n);
    }

    public Task<int> DeleteUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        var keys = feedbackType is null
            ? "DELETE FROM feedback_keys WHERE user_id = @user AND item_id = @item RETURNING seq"
            : "DELETE FROM feedback_keys WHERE user_id = @user AND item_id = @item AND feedback_type = @type RETURNING seq";
        return WriteAsync(async (connection, transaction) =>
        {
            var deleted = await DeleteKeysAsync(connection, transaction, keys,
                "DELETE FROM feedback WHERE user_id = @user AND item_id = @item AND seq = ANY(@seqs)",
                ("user", userId), ("item", itemId), ("type", feedbackType ?? "")).ConfigureAwait(false);
            if (deleted > 0)
            {
                await LogChangesAsync(connection, transaction, ChangeKind.UserHistory, [userId]).ConfigureAwait(false);
            }
            return deleted;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes keys (which locks them), then, in a new statement that sees the latest committed rows of those keys, their
    /// rows by sequence number. Returns the number of keys deleted.
    /// </summary>
    private static async Task<int> DeleteKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string deleteKeysSql,
        string deleteRowsSql, params (string Name, object Value)[] parameters)
    {
        var seqs = new List<long>();
        await using (var keys = Command(connection, deleteKeysSql, transaction))
        {
            foreach (var (name, value) in parameters)
            {
                keys.Parameters.AddWithValue(name, value);
            }

            await using var reader = await keys.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                seqs.Add(reader.GetInt64(0));
            }
        }

        if (seqs.Count == 0)
        {
            return 0;
        }

        await using var rows = Command(connection, deleteRowsSql, transaction);
        foreach (var (name, value) in parameters)
        {
            rows.Parameters.AddWithValue(name, value);
        }

        rows.Parameters.AddWithValue("seqs", seqs.ToArray());
        await rows.ExecuteNonQueryAsync().ConfigureAwait(false);
        return seqs.Count;
    }

    /// <summary>
    /// Keys first, as every delete (which locks them), then the rows with those sequence numbers (a key gone means its
    /// row goes, even one another node overwrote with a newer time in between: the history change is logged either way).
    /// The oldest rows come from each partition's <c>ts</c> range (the partition key), so a batch reads only expired
    /// partitions. Whole expired months are still dropped by <see cref="DropExpiredPartitionsAsync"/>.
    /// </summary>
    public Task<IReadOnlyList<Feedback>> DeleteFeedbackBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        StoreValidation.DeleteBatch(max);
        return WriteAsync<IReadOnlyList<Feedback>>(async (connection, transaction) =>
        {
            var seqs = new List<long>();
            await using (var keys = Command(connection, """
                WITH old AS (SELECT seq, user_id, item_id, feedback_type FROM feedback WHERE ts < @cutoff ORDER BY ts, seq LIMIT @max)
                DELETE FROM feedback_keys k USING old o
                WHERE k.user_id = o.user_id AND k.item_id = o.item_id AND k.feedback_type = o.feedback_type AND k.seq = o.seq
                RETURNING k.seq
                """, transaction))
            {
                keys.Parameters.AddWithValue("cutoff", cutoff);
                keys.Parameters.AddWithValue("max", max);
                await using var reader = await keys.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    seqs.Add(reader.GetInt64(0));
                }
            }

            if (seqs.Count == 0)
            {
                return [];
            }

            var gone = new List<Feedback>(seqs.Count);
            await using (var rows = Command(connection,
                $"WITH gone AS (DELETE FROM feedback WHERE seq = ANY(@seqs) RETURNING {FeedbackColumns}) SELECT * FROM gone ORDER BY ts, seq",
                transaction))
            {
                rows.Parameters.AddWithValue("seqs", seqs.ToArray());
                await using var reader = await rows.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    gone.Add(PostgresRows.Feedback(reader));
                }
            }

            await LogChangesAsync(connection, transaction, ChangeKind.UserHistory,
                [.. gone.Select(f => f.UserId).Distinct(StringComparer.Ordinal)]).ConfigureAwait(false);
            return gone;
        }, cancellationToken);
    }

    public async IAsyncEnumerable<Feedback> ReadAllFeedbackAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One repeatable-read transaction: the stream is a consistent snapshot even while writers commit.
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {FeedbackColumns} FROM feedback ORDER BY seq", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return PostgresRows.Feedback(reader);
        }
    }

    public async Task<long> CountFeedbackAsync(CancellationToken cancellationToken = default)
    {
        var counts = await QueryAsync("SELECT count(*) FROM feedback", r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return counts[0];
    }
}
