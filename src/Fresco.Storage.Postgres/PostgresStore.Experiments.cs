using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The <see cref="IExperimentStore"/> part of <see cref="PostgresStore"/>: one row per experiment; every put and delete
/// writes a <see cref="ChangeKind.Experiment"/> change in the same transaction, so every replica reloads the experiments.
/// </summary>
public sealed partial class PostgresStore
{
    private const string ExperimentColumns = "name, definition, updated";

    public Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO experiments (name, definition, updated) VALUES (@name, @definition, @updated)
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
                """, CancellationToken.None, ("name", name), ("definition", definition), ("updated", PostgresRows.Utc(updatedAt)))
                .ConfigureAwait(false);
            await LogChangesAsync(connection, transaction, ChangeKind.Experiment, [name]).ConfigureAwait(false);
            return new StoredExperiment(name, definition, PostgresRows.Utc(updatedAt));
        }, cancellationToken);
    }

    public async Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        var rows = await QueryAsync($"SELECT {ExperimentColumns} FROM experiments WHERE name = @name", Experiment, cancellationToken, ("name", name))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ExperimentColumns} FROM experiments ORDER BY name", Experiment, cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        return WriteAsync(async (connection, transaction) => await LoggedAsync(connection, transaction,
            await ExecuteAsync(connection, transaction, "DELETE FROM experiments WHERE name = @name", CancellationToken.None, ("name", name))
                .ConfigureAwait(false) == 1, ChangeKind.Experiment, name).ConfigureAwait(false), cancellationToken);
    }

    private static StoredExperiment Experiment(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2));
}
