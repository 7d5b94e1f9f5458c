using System.Text.Json;
using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The <see cref="IModelStore"/> part of <see cref="PostgresStore"/>: metadata in <c>models</c>, bytes in 1 MiB rows of
/// <c>model_chunks</c> under a blob id. The bytes are written in their own transaction outside the writer (a large
/// artifact never holds up ingestion); the writer then records the version, or refuses it and the chunks are deleted.
/// </summary>
public sealed partial class PostgresStore
{
    internal const int ChunkSize = 1 << 20;

    private const string ModelColumns = "version, kind, created, metrics, size, serving";

    public async Task<ModelVersion> SaveModelAsync(long version, string kind, DateTimeOffset createdAt,
        IReadOnlyDictionary<string, double> metrics, Stream content, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(content);
        var blob = Guid.NewGuid();
        var recorded = false;
        try
        {
            var size = await StageChunksAsync(blob, content, cancellationToken).ConfigureAwait(false);
            var saved = new ModelVersion(version, kind, createdAt, new Dictionary<string, double>(metrics), size, IsServing: false);
            await WriteAsync(async (connection, transaction) =>
            {
                await using var insert = Command(connection, """
                    INSERT INTO models (version, kind, created, metrics, size, blob) VALUES (@v, @kind, @created, @metrics, @size, @blob)
                    ON CONFLICT (version) DO NOTHING
                    """, transaction);
                insert.Parameters.AddWithValue("v", version);
                insert.Parameters.AddWithValue("kind", kind);
                insert.Parameters.AddWithValue("created", PostgresRows.Utc(createdAt));
                insert.Parameters.AddWithValue("metrics", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(saved.Metrics));
                insert.Parameters.AddWithValue("size", size);
                insert.Parameters.AddWithValue("blob", blob);
                return await insert.ExecuteNonQueryAsync().ConfigureAwait(false) == 1
                    ? 0
                    : throw new InvalidOperationException($"Model version {version} already exists.");
            }, cancellationToken).ConfigureAwait(false);
            recorded = true;
            return saved;
        }
        finally
        {
            if (!recorded)
            {
                await DeleteChunksAsync(blob).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes the content as chunks of one blob, each committed on its own: no transaction stays open for the length of
    /// a large artifact (one would hold back the change log's horizon, see <c>PostgresStore.Changes.cs</c>). The chunks
    /// mean nothing until the version's row names their blob; on failure they are deleted. Returns the byte count.
    /// </summary>
    private async Task<long> StageChunksAsync(Guid blob, Stream content, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = Command(connection, "INSERT INTO model_chunks (blob, chunk, data) VALUES (@blob, @chunk, @data)");
        insert.Parameters.AddWithValue("blob", blob);
        var chunk = new NpgsqlParameter<int>("chunk", 0);
        insert.Parameters.Add(chunk);
        var data = insert.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Bytea));
        var buffer = new byte[ChunkSize];
        long size = 0;
        for (var index = 0; ; index++)
        {
            var filled = await content.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == 0 && index > 0)
            {
                break;
            }

            chunk.TypedValue = index;
            data.Value = new ArraySegment<byte>(buffer, 0, filled);
            data.Size = filled;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            size += filled;
            if (filled < ChunkSize)
            {
                break;
            }
        }

        return size;
    }

    private async Task DeleteChunksAsync(Guid blob)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await ExecuteAsync(connection, null, "DELETE FROM model_chunks WHERE blob = @blob", CancellationToken.None, ("blob", blob))
                .ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // Best effort: an orphan blob is only wasted space.
        }
    }

    public async Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ModelColumns} FROM models ORDER BY version DESC", Model, cancellationToken).ConfigureAwait(false);

    public async Task<Stream?> OpenModelAsync(long version, CancellationToken cancellationToken = default)
    {
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ModelChunkStream.OpenAsync(connection, version, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<int> PruneModelsAsync(int keep, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, """
                WITH gone AS (
                    DELETE FROM models WHERE NOT serving
                        AND version NOT IN (SELECT version FROM models ORDER BY version DESC LIMIT @keep)
                    RETURNING blob
                ), chunks AS (
                    DELETE FROM model_chunks WHERE blob IN (SELECT blob FROM gone)
                )
                SELECT count(*)::int FROM gone
                """, transaction);
            command.Parameters.AddWithValue("keep", (long)keep);
            return (int)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }, cancellationToken);
    }

    public Task<bool> PromoteModelAsync(long version, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            // Two statements, unmark then mark: the unique index on the serving mark is checked row by row.
            await using var command = Command(connection, """
                WITH target AS (SELECT version FROM models WHERE version = @v FOR UPDATE)
                UPDATE models SET serving = false WHERE serving AND version <> @v AND EXISTS (SELECT 1 FROM target);
                UPDATE models SET serving = true WHERE version = @v RETURNING version;
                """, transaction);
            command.Parameters.AddWithValue("v", version);
            if (await command.ExecuteScalarAsync().ConfigureAwait(false) is not long)
            {
                return false;
            }

            await LogChangesAsync(connection, transaction, ChangeKind.Model, [""], version).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task<ModelVersion?> GetServingModelAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync($"SELECT {ModelColumns} FROM models WHERE serving", Model, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static ModelVersion Model(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetFieldValue<DateTimeOffset>(2),
        JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(3)) ?? [],
        r.GetInt64(4),
        r.GetBoolean(5));
}
