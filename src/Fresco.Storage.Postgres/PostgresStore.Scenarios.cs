using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The <see cref="IScenarioStore"/> part of <see cref="PostgresStore"/>: one row per scenario, its version from the
/// <c>scenario_versions</c> sequence (so replicas writing at once never share or reuse a version).
/// </summary>
public sealed partial class PostgresStore
{
    private const string ScenarioColumns = "name, version, definition, updated";

    public Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, """
                INSERT INTO scenarios (name, version, definition, updated) VALUES (@name, nextval('scenario_versions'), @definition, @updated)
                ON CONFLICT (name) DO UPDATE SET version = excluded.version, definition = excluded.definition, updated = excluded.updated
                RETURNING version
                """, transaction);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("definition", definition);
            command.Parameters.AddWithValue("updated", PostgresRows.Utc(updatedAt));
            var version = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
            await LogChangesAsync(connection, transaction, ChangeKind.Scenario, [name]).ConfigureAwait(false);
            return new StoredScenario(name, version, definition, PostgresRows.Utc(updatedAt));
        }, cancellationToken);
    }

    public async Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        var rows = await QueryAsync($"SELECT {ScenarioColumns} FROM scenarios WHERE name = @name", Scenario, cancellationToken, ("name", name))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ScenarioColumns} FROM scenarios ORDER BY name", Scenario, cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        return WriteAsync(async (connection, transaction) => await LoggedAsync(connection, transaction,
            await ExecuteAsync(connection, transaction, "DELETE FROM scenarios WHERE name = @name", CancellationToken.None, ("name", name))
                .ConfigureAwait(false) == 1, ChangeKind.Scenario, name).ConfigureAwait(false), cancellationToken);
    }

    private static StoredScenario Scenario(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3));
}
