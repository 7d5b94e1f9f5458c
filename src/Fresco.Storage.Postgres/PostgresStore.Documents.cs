using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The named JSON documents of <see cref="PostgresStore"/>, the <see cref="IScenarioStore"/> and
/// <see cref="IExperimentStore"/> parts: one table per kind, one row per name, the definition opaque to the store, put,
/// get, list and delete written once over a <see cref="DocumentTable{T}"/>. Every put and delete writes a change of the
/// kind's <see cref="ChangeKind"/> in the same transaction, so every replica reloads them. Scenarios number their versions
/// from the <c>scenario_versions</c> sequence (so replicas writing at once never share or reuse a version).
/// </summary>
public sealed partial class PostgresStore
{
    private static readonly DocumentTable<StoredScenario> s_scenarios = new("""
        INSERT INTO scenarios (name, version, definition, updated) VALUES (@name, nextval('scenario_versions'), @definition, @updated)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version, definition = excluded.definition, updated = excluded.updated
        RETURNING version
        """,
        "SELECT name, version, definition, updated FROM scenarios",
        "DELETE FROM scenarios WHERE name = @name",
        ChangeKind.Scenario,
        static (name, version, definition, updated) => new StoredScenario(name, version, definition, updated));

    private static readonly DocumentTable<StoredExperiment> s_experiments = new("""
        INSERT INTO experiments (name, definition, updated) VALUES (@name, @definition, @updated)
        ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
        RETURNING 0::bigint
        """,
        "SELECT name, 0::bigint, definition, updated FROM experiments",
        "DELETE FROM experiments WHERE name = @name",
        ChangeKind.Experiment,
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
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, table.Put, transaction);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("definition", definition);
            command.Parameters.AddWithValue("updated", PostgresRows.Utc(updatedAt));
            var version = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
            await LogChangesAsync(connection, transaction, table.Kind, [name]).ConfigureAwait(false);
            return table.Row(name, version, definition, PostgresRows.Utc(updatedAt));
        }, cancellationToken);
    }

    private async Task<T?> GetDocumentAsync<T>(DocumentTable<T> table, string name, CancellationToken cancellationToken)
        where T : class
    {
        StoreValidation.Id(name, nameof(name));
        var rows = await QueryAsync($"{table.Select} WHERE name = @name", table.Read, cancellationToken, ("name", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<IReadOnlyList<T>> ListDocumentsAsync<T>(DocumentTable<T> table, CancellationToken cancellationToken) =>
        await QueryAsync($"{table.Select} ORDER BY name", table.Read, cancellationToken).ConfigureAwait(false);

    private Task<bool> DeleteDocumentAsync<T>(DocumentTable<T> table, string name, CancellationToken cancellationToken)
    {
        StoreValidation.Id(name, nameof(name));
        return WriteAsync(async (connection, transaction) => await LoggedAsync(connection, transaction,
            await ExecuteAsync(connection, transaction, table.Delete, CancellationToken.None, ("name", name)).ConfigureAwait(false) == 1,
            table.Kind, name).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>
    /// One kind of named document: <see cref="Put"/> upserts (@name, @definition, @updated) and returns the version (0 for
    /// kinds without one), <see cref="Select"/> reads (name, version, definition, updated), <see cref="Delete"/> removes
    /// @name, <see cref="Kind"/> is the change logged, <see cref="Row"/> makes the stored value. Immutable.
    /// </summary>
    private sealed record DocumentTable<T>(string Put, string Select, string Delete, ChangeKind Kind,
        Func<string, long, string, DateTimeOffset, T> Row)
    {
        public T Read(NpgsqlDataReader r) => Row(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3));
    }
}
