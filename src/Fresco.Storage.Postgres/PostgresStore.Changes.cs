using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The <see cref="IChangeFeed"/> part of <see cref="PostgresStore"/>: the change log every write appends to in its own
/// transaction. Rows are ordered by (transaction id, sequence). Transactions commit out of id order, so a reader only
/// reads below the oldest transaction still running (<c>pg_snapshot_xmin</c> of its snapshot): rows there can no longer
/// appear, and a position never skips one that commits later (the technique of outbox readers, e.g. Marten's high-water
/// mark). A row holds one change, or all the feedback rows of one insert (<see cref="PostgresSchema.FeedbackRowsKind"/>),
/// which a page never splits. The maintenance loop trims rows older than <see cref="PostgresStoreOptions.ChangeRetention"/>
/// and records the newest position it trimmed.
/// </summary>
public sealed partial class PostgresStore : IChangeFeed
{
    private const string ChangeColumns =
        "tx, seq, kind, key, item_id, feedback_type, value, ts, version, user_ids, item_ids, feedback_types, feedback_values, feedback_times";

    public async Task<ChangePosition> HeadAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", r => r.GetInt64(0), cancellationToken)
            .ConfigureAwait(false);
        // Every transaction below xmin has ended (its changes are in the state loaded after this call); any at or above it may not have.
        return new ChangePosition(rows[0] - 1, long.MaxValue);
    }

    /// <remarks>
    /// A page holds the log's rows up to the one whose changes reach <paramref name="max"/>: it ends with a whole write, so
    /// it may hold more than <paramref name="max"/> changes (at most <paramref name="max"/> - 1 plus the rows of one insert).
    /// </remarks>
    public async Task<ChangePage> ReadAsync(ChangePosition after, int max, string excludeOrigin, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentNullException.ThrowIfNull(excludeOrigin);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One statement, one snapshot: the horizon and the rows below it are read together (one row of nulls when none). Of
        // the first max rows, those that start before the page's max-th change (a row counts its array's length).
        await using var command = Command(connection, $"""
            WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin)
            SELECT c.*, h.xmin
            FROM horizon h LEFT JOIN LATERAL (
                SELECT {ChangeColumns}
                FROM (
                    SELECT *, sum(coalesce(cardinality(user_ids), 1)) OVER (ORDER BY tx, seq) - coalesce(cardinality(user_ids), 1) AS changes_before
                    FROM (
                        SELECT {ChangeColumns}
                        FROM changes
                        WHERE (tx, seq) > (@tx, @seq) AND tx < h.xmin AND node <> @self
                        ORDER BY tx, seq
                        LIMIT @max
                    ) r
                ) w
                WHERE changes_before < @max
                ORDER BY tx, seq
            ) c ON true
            """);
        command.Parameters.AddWithValue("tx", after.Transaction);
        command.Parameters.AddWithValue("seq", after.Sequence);
        command.Parameters.AddWithValue("self", excludeOrigin);
        command.Parameters.AddWithValue("max", max);
        var changes = new List<Change>();
        var next = after;
        var read = 0;
        long xmin = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                xmin = reader.GetInt64(14);
                if (reader.IsDBNull(0))
                {
                    break; // nothing below the horizon
                }

                read++;
                next = new ChangePosition(reader.GetInt64(0), reader.GetInt64(1));
                AddChanges(reader, changes);
            }
        }

        // Rows of this node are skipped in the server (never sent): a full page ends at its last row of another node, and a
        // short page read everything below the horizon of its own snapshot: every transaction below it has ended, so
        // the next read may start there (fewer rows to pass over). Never from a second snapshot: transactions that end
        // between two snapshots would be skipped. A page that reached max changes may have left rows out: it is full.
        var full = read == max || changes.Count >= max;
        if (!full && xmin - 1 > next.Transaction)
        {
            next = new ChangePosition(xmin - 1, long.MaxValue);
        }

        return new ChangePage(changes, next, More: full);
    }

    public async Task<bool> IsTrimmedPastAsync(ChangePosition position, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT (tx, seq) > (@tx, @seq) FROM changes_trimmed", r => r.GetBoolean(0), cancellationToken,
            ("tx", position.Transaction), ("seq", position.Sequence)).ConfigureAwait(false);
        return rows.Count > 0 && rows[0];
    }

    /// <summary>Appends one change row per key (all of one kind) in the write's transaction.</summary>
    private async Task LogChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ChangeKind kind, string[] keys,
        long? version = null)
    {
        if (keys.Length == 0)
        {
            return;
        }

        await using var command = Command(connection,
            "INSERT INTO changes (node, kind, key, version) SELECT @node, @kind, k, @version FROM unnest(@keys) AS k", transaction);
        command.Parameters.AddWithValue("node", _options.Node);
        command.Parameters.AddWithValue("kind", (short)kind);
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = keys });
        command.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Bigint) { Value = version is { } v ? v : DBNull.Value });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Logs one change when <paramref name="changed"/>; returns it.</summary>
    private async Task<bool> LoggedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, bool changed, ChangeKind kind, string key)
    {
        if (changed)
        {
            await LogChangesAsync(connection, transaction, kind, [key]).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>Deletes change rows older than the retention, recording the newest position deleted.</summary>
    private async Task TrimChangesAsync(CancellationToken cancellationToken)
    {
        var cutoff = _options.TimeProvider.GetUtcNow() - _options.ChangeRetention;
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            WITH gone AS (DELETE FROM changes WHERE at < @cutoff RETURNING tx, seq),
            last AS (SELECT tx, seq FROM gone ORDER BY tx DESC, seq DESC LIMIT 1)
            INSERT INTO changes_trimmed (tx, seq) SELECT tx, seq FROM last
            ON CONFLICT (id) DO UPDATE SET tx = excluded.tx, seq = excluded.seq
                WHERE (excluded.tx, excluded.seq) > (changes_trimmed.tx, changes_trimmed.seq)
            """, cancellationToken, ("cutoff", cutoff)).ConfigureAwait(false);
    }

    /// <summary>Adds the changes of the reader's row: the feedback rows of one insert, or one change.</summary>
    private static void AddChanges(NpgsqlDataReader reader, List<Change> changes)
    {
        var kind = reader.GetInt16(2);
        if (kind == PostgresSchema.FeedbackRowsKind)
        {
            var users = reader.GetFieldValue<string[]>(9);
            var items = reader.GetFieldValue<string[]>(10);
            var types = reader.GetFieldValue<string[]>(11);
            var values = reader.GetFieldValue<double[]>(12);
            var times = reader.GetFieldValue<DateTimeOffset[]>(13);
            for (var i = 0; i < users.Length; i++)
            {
                changes.Add(Change.Inserted(new Feedback(types[i], users[i], items[i], values[i], times[i])));
            }
            return;
        }

        var key = reader.GetString(3);
        changes.Add((ChangeKind)kind switch
        {
            ChangeKind.Feedback => Change.Inserted(new Feedback(reader.GetString(5), key, reader.GetString(4), reader.GetDouble(6),
                reader.GetFieldValue<DateTimeOffset>(7))), // one row per event, as written before schema 4
            ChangeKind.Model => Change.Serving(reader.GetInt64(8)),
            _ => new Change((ChangeKind)kind, key),
        });
    }
}
