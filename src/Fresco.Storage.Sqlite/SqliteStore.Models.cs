using System.Globalization;
using System.Text.Json;
using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>The <see cref="IModelStore"/> part of <see cref="SqliteStore"/>: bytes in files, metadata in SQLite.</summary>
public sealed partial class SqliteStore
{
    private const string ModelColumns = "version, kind, created, metrics, size, serving";

    public async Task<ModelVersion> SaveModelAsync(long version, string kind, DateTimeOffset createdAt,
        IReadOnlyDictionary<string, double> metrics, Stream content, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(content);

        // Write a temp file outside the lock, make it durable, then rename it into place and record it.
        var temp = Path.Combine(_modelDirectory, $"{version}.{Guid.NewGuid():N}.tmp");
        long size;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                size = file.Length;
            }

            var saved = new ModelVersion(version, kind, createdAt, new Dictionary<string, double>(metrics), size, IsServing: false);
            return await WriteAsync(tx =>
            {
                using var exists = Command(_writer, "SELECT COUNT(*) FROM models WHERE version = $v", tx);
                exists.Parameters.AddWithValue("$v", version);
                if ((long)exists.ExecuteScalar()! != 0)
                {
                    throw new InvalidOperationException($"Model version {version} already exists.");
                }

                File.Move(temp, ModelPath(version), overwrite: true);
                using var insert = Command(_writer,
                    "INSERT INTO models (version, kind, created, metrics, size, serving) VALUES ($v, $kind, $created, $metrics, $size, 0)", tx);
                insert.Parameters.AddWithValue("$v", version);
                insert.Parameters.AddWithValue("$kind", kind);
                insert.Parameters.AddWithValue("$created", Ticks(createdAt));
                insert.Parameters.AddWithValue("$metrics", JsonSerializer.Serialize(saved.Metrics));
                insert.Parameters.AddWithValue("$size", size);
                insert.ExecuteNonQuery();
                return saved;
            }, cancellationToken, sideEffects: true).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ModelColumns} FROM models ORDER BY version DESC", Model, cancellationToken).ConfigureAwait(false);

    public async Task<Stream?> OpenModelAsync(long version, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync("SELECT version FROM models WHERE version = $v", r => r.GetInt64(0), cancellationToken,
            ("$v", version)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        try
        {
            return new FileStream(ModelPath(version), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return null; // pruned between the lookup and the open
        }
    }

    public Task<int> PruneModelsAsync(int keep, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        return WriteAsync(tx =>
        {
            var doomed = new List<long>();
            using (var select = Command(_writer,
                "SELECT version FROM models WHERE serving = 0 AND version NOT IN (SELECT version FROM models ORDER BY version DESC LIMIT $keep)", tx))
            {
                select.Parameters.AddWithValue("$keep", keep);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    doomed.Add(reader.GetInt64(0));
                }
            }

            using var delete = Command(_writer, "DELETE FROM models WHERE version = $v", tx);
            var parameter = delete.Parameters.Add(new SqliteParameter("$v", 0L));
            foreach (var version in doomed)
            {
                parameter.Value = version;
                delete.ExecuteNonQuery();
                File.Delete(ModelPath(version));
            }

            return doomed.Count;
        }, cancellationToken, sideEffects: true);
    }

    public Task<bool> PromoteModelAsync(long version, CancellationToken cancellationToken = default) =>
        WriteAsync(tx =>
        {
            using var exists = Command(_writer, "SELECT COUNT(*) FROM models WHERE version = $v", tx);
            exists.Parameters.AddWithValue("$v", version);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                return false;
            }

            using var update = Command(_writer, "UPDATE models SET serving = (version = $v)", tx);
            update.Parameters.AddWithValue("$v", version);
            update.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public async Task<ModelVersion?> GetServingModelAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync($"SELECT {ModelColumns} FROM models WHERE serving = 1", Model, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private string ModelPath(long version) =>
        Path.Combine(_modelDirectory, version.ToString(CultureInfo.InvariantCulture) + ".model");

    private static ModelVersion Model(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        Time(r.GetInt64(2)),
        JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(3)) ?? [],
        r.GetInt64(4),
        r.GetInt64(5) != 0);
}
