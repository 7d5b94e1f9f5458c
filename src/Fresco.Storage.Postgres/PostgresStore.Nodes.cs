using Fresco.Engine.Cluster;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The cluster's members in the <c>cluster_nodes</c> table: each node upserts its row on every heartbeat, stamped with
/// the database's clock (one clock for all nodes); rows not refreshed for a day are deleted. Thread-safe.
/// </summary>
public sealed partial class PostgresStore : INodeDirectory
{
    public Task HeartbeatAsync(NodeInfo node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return HeartbeatCoreAsync(node, cancellationToken);
    }

    public async Task<IReadOnlyList<NodeInfo>> ListAsync(TimeSpan within, CancellationToken cancellationToken = default) =>
        await QueryAsync("""
            SELECT node, url, role, ready AND last_seen > now() - @within, serving_version, trainer AND last_seen > now() - @within, last_seen
            FROM cluster_nodes WHERE last_seen > now() - interval '1 day' ORDER BY node
            """, r => new NodeInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.GetBoolean(5), r.GetFieldValue<DateTimeOffset>(6)), cancellationToken, ("within", within)).ConfigureAwait(false);

    private async Task HeartbeatCoreAsync(NodeInfo node, CancellationToken cancellationToken)
    {
        // Not through the writer queue: a heartbeat must not wait behind a backlog of writes, nor delay them.
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, """
            INSERT INTO cluster_nodes (node, url, role, ready, serving_version, trainer, last_seen)
            VALUES (@node, @url, @role, @ready, @version, @trainer, now())
            ON CONFLICT (node) DO UPDATE SET url = excluded.url, role = excluded.role, ready = excluded.ready,
                serving_version = excluded.serving_version, trainer = excluded.trainer, last_seen = excluded.last_seen;
            DELETE FROM cluster_nodes WHERE last_seen < now() - interval '1 day';
            """);
        command.Parameters.AddWithValue("node", node.Node);
        command.Parameters.AddWithValue("url", node.Url);
        command.Parameters.AddWithValue("role", node.Role);
        command.Parameters.AddWithValue("ready", node.Ready);
        command.Parameters.Add(new NpgsqlParameter("version", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = node.ServingVersion is { } v ? v : DBNull.Value });
        command.Parameters.AddWithValue("trainer", node.Trainer);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
