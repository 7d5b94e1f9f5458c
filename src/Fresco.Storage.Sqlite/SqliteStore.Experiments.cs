using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>The <see cref="IExperimentStore"/> part of <see cref="SqliteStore"/>: one row per experiment.</summary>
public sealed partial class SqliteStore
{
    private const string ExperimentColumns = "name, definition, updated";

    public Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(tx =>
        {
            var command = WriterCommand("""
                INSERT INTO experiments (name, definition, updated) VALUES ($name, $definition, $updated)
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
                """, tx, "$name", "$definition", "$updated");
            command.Parameters["$name"].Value = name;
            command.Parameters["$definition"].Value = definition;
            command.Parameters["$updated"].Value = Ticks(updatedAt);
            command.ExecuteNonQuery();
            return new StoredExperiment(name, definition, Time(Ticks(updatedAt)));
        }, cancellationToken);
    }

    public async Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        var rows = await QueryAsync($"SELECT {ExperimentColumns} FROM experiments WHERE name = $name", Experiment,
            cancellationToken, ("$name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ExperimentColumns} FROM experiments ORDER BY name", Experiment, cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        return WriteAsync(tx =>
        {
            var command = WriterCommand("DELETE FROM experiments WHERE name = $name", tx, "$name");
            command.Parameters["$name"].Value = name;
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    private static StoredExperiment Experiment(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), Time(r.GetInt64(2)));
}
