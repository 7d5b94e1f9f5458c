using Fresco.Engine.Storage;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The server store: users, items, feedback and model artifacts in one PostgreSQL database, feedback range-partitioned
/// by month (see <see cref="PostgresSchema"/>). Thread-safe: every write runs on one writer connection owned by one
/// writer loop (group commit, commits in call order) and returns after its commit; reads use pooled connections of an
/// <see cref="NpgsqlDataSource"/> and see the last committed state.
/// </summary>
public sealed partial class PostgresStore : IStore, IWriteQueue
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreOptions _options;
    private int _disposed;

    private PostgresStore(NpgsqlDataSource dataSource, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        _options = options;
    }

    /// <summary>
    /// Connects to the database named by <paramref name="connectionString"/> (an Npgsql connection string), creates the
    /// schema when missing, creates the partitions of the months ahead and drops expired ones (with a TTL), then starts
    /// the writer. Throws <see cref="NotSupportedException"/> for a database written by a newer schema version.
    /// </summary>
    public static async Task<PostgresStore> OpenAsync(
        string connectionString, PostgresStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var settings = (options ?? new PostgresStoreOptions()).Copy();
        settings.Validate();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The store's statements are few and repeated: prepared once per connection, they skip parse and plan.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        var dataSource = builder.Build();
        PostgresStore? store = null;
        try
        {
            await CreateSchemaAsync(dataSource, cancellationToken).ConfigureAwait(false);
            store = new PostgresStore(dataSource, settings);
            await store.LoadPartitionsAsync(cancellationToken).ConfigureAwait(false);
            await store.StartWriterAsync(cancellationToken).ConfigureAwait(false);
            await store.MaintainAsync(cancellationToken).ConfigureAwait(false);
            store.StartMaintenance();
            return store;
        }
        catch
        {
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopMaintenanceAsync().ConfigureAwait(false);
        // Let queued writes finish, then stop the writer loop before closing its connection.
        await StopWriterAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CreateSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresSchema.DdlLock}); " + PostgresSchema.VersionTable,
            cancellationToken).ConfigureAwait(false);
        int? found;
        await using (var read = Command(connection, "SELECT max(version) FROM fresco_schema", transaction))
        {
            found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as int?;
        }

        if (found > PostgresSchema.Version)
        {
            throw new NotSupportedException(
                $"The database has Fresco schema version {found}; this build knows versions up to {PostgresSchema.Version}.");
        }
        if (found == PostgresSchema.Version)
        {
            // Up to date: no DDL at all. A node restarting into a cluster under write load must not take table locks
            // (CREATE INDEX IF NOT EXISTS locks its table before it finds the index) that can deadlock with the writers.
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Versions 2 and 3 only added tables (2: the change log, the node directory; 3, after the experiments: impressions and
        // attributions), created by Tables if missing; 4 added the change log's array columns to an existing log.
        await ExecuteAsync(connection, transaction, PostgresSchema.Tables, cancellationToken).ConfigureAwait(false);
        if (found < 4)
        {
            await ExecuteAsync(connection, transaction, PostgresSchema.ChangeRowsUpgrade, cancellationToken).ConfigureAwait(false);
        }
        if (found != PostgresSchema.Version)
        {
            await ExecuteAsync(connection, transaction, $"INSERT INTO fresco_schema (version) VALUES ({PostgresSchema.Version})",
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>
    /// True for failures that say the server cannot be used now, not that the request was wrong: no connection (refused,
    /// broken, timed out), the server shutting down or out of resources (SQLSTATE classes 08, 53, 57P).
    /// </summary>
    internal static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };

    internal static StoreUnavailableException Unavailable(Exception e) =>
        new($"PostgreSQL is unavailable: {e.Message}", e);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
