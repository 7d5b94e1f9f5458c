using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// The named JSON documents of <see cref="SqliteStore"/>, the <see cref="IScenarioStore"/> and <see cref="IExperimentStore"/>
/// parts: one table per kind, one row per name, the definition opaque to the store, put, get, list and delete written
/// once over a <see cref="DocumentTable{T}"/>. Scenarios number their versions (one above the highest ever written,
/// computed in the writer's transaction); a deleted scenario stays as a tombstone row, so no version is reused.
/// </summary>
public sealed partial class SqliteStore
{
    private static readonly DocumentTable<StoredScenario> s_scenarios = new("""
        INSERT INTO scenarios (name, version, definition, updated, deleted)
        VALUES ($name, (SELECT coalesce(max(version), 0) + 1 FROM scenarios), $definition, $updated, 0)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version, definition = excluded.definition,
            updated = excluded.updated, deleted = 0
        RETURNING version
        """,
        "SELECT name, version, definition, updated FROM scenarios WHERE deleted = 0",
        "UPDATE scenarios SET deleted = 1 WHERE name = $name AND deleted = 0",
        static (name, version, definition, updated) => new StoredScenario(name, version, definition, updated));

    private static readonly DocumentTable<StoredExperiment> s_experiments = new("""
        INSERT INTO experiments (name, definition, updated) VALUES ($name, $definition, $updated)
        ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
        RETURNING 0
        """,
        "SELECT name, 0, definition, updated FROM experiments WHERE 1",
        "DELETE FROM experiments WHERE name = $name",
        static (name, _, definition, updated) => new StoredExperiment(name, definition, updated));

    public Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) =>
        PutDocumentAsync(s_scenarios, name, definition, updatedAt, cancellationToken);

    public Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken cancellationToken = default) =>
        GetDocumentAsync(s_scenarios, name, cancellationToken);

    public Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken cancellationToken = default) =>
        ListDocumentsAsync(s_scenarios, cancellationToken);

    public Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(s_scenarios, name, cancellationToken);

    public Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) =>
        PutDocumentAsync(s_experiments, name, definition, updatedAt, cancellationToken);

    public Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default) =>
        GetDocumentAsync(s_experiments, name, cancellationToken);

    public Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken cancellationToken = default) =>
        ListDocumentsAsync(s_experiments, cancellationToken);

    public Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(s_experiments, name, cancellationToken);

    private Task<T> PutDocumentAsync<T>(DocumentTable<T> table, string name, string definition, DateTimeOffset updatedAt,
        CancellationToken cancellationToken)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(tx =>
        {
            var command = WriterCommand(table.Put, tx, "$name", "$definition", "$updated");
            command.Parameters["$name"].Value = name;
            command.Parameters["$definition"].Value = definition;
            command.Parameters["$updated"].Value = Ticks(updatedAt);
            return table.Row(name, (long)command.ExecuteScalar()!, definition, Time(Ticks(updatedAt)));
        }, cancellationToken);
    }

    private async Task<T?> GetDocumentAsync<T>(DocumentTable<T> table, string name, CancellationToken cancellationToken)
        where T : class
    {
        StoreValidation.Id(name, nameof(name));
        var rows = await QueryAsync($"{table.Select} AND name = $name", table.Read, cancellationToken, ("$name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<IReadOnlyList<T>> ListDocumentsAsync<T>(DocumentTable<T> table, CancellationToken cancellationToken) =>
        await QueryAsync($"{table.Select} ORDER BY name", table.Read, cancellationToken).ConfigureAwait(false);

    private Task<bool> DeleteDocumentAsync<T>(DocumentTable<T> table, string name, CancellationToken cancellationToken)
    {
        StoreValidation.Id(name, nameof(name));
        return WriteAsync(tx =>
        {
            var command = WriterCommand(table.Delete, tx, "$name");
            command.Parameters["$name"].Value = name;
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <summary>
    /// One kind of named document: <see cref="Put"/> upserts ($name, $definition, $updated) and returns the version (0
    /// for kinds without one), <see cref="Select"/> reads (name, version, definition, updated) of the live rows and ends
    /// in a WHERE clause, <see cref="Delete"/> removes $name (or marks it deleted), <see cref="Row"/> makes the stored value.
    /// Immutable.
    /// </summary>
    private sealed record DocumentTable<T>(string Put, string Select, string Delete, Func<string, long, string, DateTimeOffset, T> Row)
    {
        public T Read(SqliteDataReader r) => Row(r.GetString(0), r.GetInt64(1), r.GetString(2), Time(r.GetInt64(3)));
    }
}
