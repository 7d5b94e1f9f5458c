using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite database <c>&lt;dataDir&gt;/fresco.db</c> in WAL mode with synchronous=FULL, model
/// artifacts as files under <c>&lt;dataDir&gt;/models/</c>. Thread-safe: every write runs as one transaction on a single
/// writer connection owned by one writer thread (group commit) and returns after commit; reads use pooled read-only connections and
/// see the last committed state.
/// </summary>
public sealed partial class SqliteStore : IStore, IWriteQueue
{
    public const string DatabaseFileName = "fresco.db";

    private readonly SqliteConnection _writer;
    private readonly string _readConnectionString;
    private readonly string _modelDirectory;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = [];
    private readonly ILogger? _logger;
    private readonly SqliteStoreMetrics _metrics;
    private int _disposed;

    private SqliteStore(string dataDirectory, SqliteConnection writer, string readConnectionString, SqliteStoreOptions options)
    {
        DataDirectory = dataDirectory;
        _writer = writer;
        _readConnectionString = readConnectionString;
        _modelDirectory = Path.Combine(dataDirectory, "models");
        _logger = options.Logger;
        _metrics = new SqliteStoreMetrics(options.MeterFactory);
    }

    public string DataDirectory { get; }

    /// <summary>Opens (creating when needed) the store in <paramref name="dataDirectory"/>, reporting nowhere.</summary>
    public static Task<SqliteStore> OpenAsync(string dataDirectory, CancellationToken cancellationToken = default) =>
        OpenAsync(dataDirectory, new SqliteStoreOptions(), cancellationToken);

    /// <summary>Opens (creating when needed) the store in <paramref name="dataDirectory"/>, reporting through <paramref name="options"/>.</summary>
    public static async Task<SqliteStore> OpenAsync(
        string dataDirectory, SqliteStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CacheMiB, 1, nameof(options.CacheMiB));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CacheMiB, SqliteStoreOptions.MaxCacheMiB, nameof(options.CacheMiB));
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        var path = Path.Combine(directory, DatabaseFileName);
        var writeString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        var readString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();

        var writer = new SqliteConnection(writeString);
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (var command = writer.CreateCommand())
            {
                command.CommandText = SqliteSchema.Pragmas + SqliteSchema.CacheSize(options.CacheMiB) + SqliteSchema.Tables;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var store = new SqliteStore(directory, writer, readString, options);
            store.StartCheckpointer(writeString);
            store.StartWriter();
            return store;
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Let queued writes finish, then stop the writer thread before closing its connection.
        await StopWriterAsync().ConfigureAwait(false);
        StopCheckpointer();
        _metrics.Dispose();
        foreach (var command in _writerCommands.Values)
        {
            command.Dispose();
        }

        _writerCommands.Clear();
        await _writer.DisposeAsync().ConfigureAwait(false);
        using var pool = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pool);
    }

    /// <summary>A writer command reused across calls (prepared once); only touch it on the writer thread (inside a write).</summary>
    private SqliteCommand WriterCommand(string sql, SqliteTransaction transaction, params string[] parameters)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            _writerCommands.Add(sql, command);
        }

        command.Transaction = transaction;
        return command;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
