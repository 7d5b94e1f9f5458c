using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// The <see cref="IScenarioStore"/> part of <see cref="SqliteStore"/>. A deleted scenario stays as a tombstone row, so the
/// next version (one above the highest ever written, computed in the writer's transaction) is never reused.
/// </summary>
public sealed partial class SqliteStore
{
    private const string ScenarioColumns = "name, version, definition, updated";

    public Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(tx =>
        {
            var command = WriterCommand("""
                INSERT INTO scenarios (name, version, definition, updated, deleted)
                VALUES ($name, (SELECT coalesce(max(version), 0) + 1 FROM scenarios), $definition, $updated, 0)
                ON CONFLICT (name) DO UPDATE SET version = excluded.version, definition = excluded.definition,
                    updated = excluded.updated, deleted = 0
                RETURNING version
                """, tx, "$name", "$definition", "$updated");
            command.Parameters["$name"].Value = name;
            command.Parameters["$definition"].Value = definition;
            command.Parameters["$updated"].Value = Ticks(updatedAt);
            return new StoredScenario(name, (long)command.ExecuteScalar()!, definition, Time(Ticks(updatedAt)));
        }, cancellationToken);
    }

    public async Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        var rows = await QueryAsync($"SELECT {ScenarioColumns} FROM scenarios WHERE name = $name AND deleted = 0", Scenario,
            cancellationToken, ("$name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {ScenarioColumns} FROM scenarios WHERE deleted = 0 ORDER BY name", Scenario, cancellationToken)
            .ConfigureAwait(false);

    public Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        return WriteAsync(tx =>
        {
            var command = WriterCommand("UPDATE scenarios SET deleted = 1 WHERE name = $name AND deleted = 0", tx, "$name");
            command.Parameters["$name"].Value = name;
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    private static StoredScenario Scenario(SqliteDataReader r) => new(r.GetString(0), r.GetInt64(1), r.GetString(2), Time(r.GetInt64(3)));
}
