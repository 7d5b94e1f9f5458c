using System.Data;
using Fresco.Engine.Storage.GroupCommit;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// Group commit for <see cref="PostgresStore"/>: the engine's <see cref="GroupCommitWriter{TWrite}"/> on one writer
/// connection, its loop on the thread pool (Npgsql's I/O is asynchronous). Before each attempt at a group, the writer
/// creates the partitions and the new users and items the group's writes asked for, each in its own short transaction;
/// a deadlock or serialization failure (another node's transaction took the same keys in another order) runs the group
/// again. A caller's task completes only after the commit that contains its write; when the server cannot keep up,
/// callers wait for room in the queue (<see cref="QueueCapacity"/>).
/// </summary>
public sealed partial class PostgresStore
{
    /// <summary>Writes that may wait for the writer before callers are held back.</summary>
    public const int QueueCapacity = 4096;

    private GroupCommitWriter<PostgresWrite>? _groupCommit;
    private NpgsqlConnection? _writer;

    /// <summary>Writes queued and not yet picked up by the writer (ingestion back-log).</summary>
    public int QueueDepth => _groupCommit?.QueueDepth ?? 0;

    /// <summary>Transactions the writer committed (each holds one or more writes).</summary>
    internal long GroupsCommitted => _groupCommit?.GroupsCommitted ?? 0;

    /// <summary>Groups run again after a deadlock or serialization failure.</summary>
    internal long ConflictRetries => _groupCommit?.ConflictRetries ?? 0;

    private async Task StartWriterAsync(CancellationToken cancellationToken)
    {
        _writer = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        _groupCommit = new GroupCommitWriter<PostgresWrite>(new GroupCommitAdapter(this), new GroupCommitOptions { QueueCapacity = QueueCapacity });
        _groupCommit.Start();
    }

    private async Task StopWriterAsync()
    {
        if (_groupCommit is not null)
        {
            await _groupCommit.StopAsync().ConfigureAwait(false);
        }
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Queues <paramref name="work"/> for the next group transaction; completes after its commit.</summary>
    /// <remarks>Cancellation takes effect only while the write is still queued; once started it runs to commit.</remarks>
    /// <param name="work">The write: statements on the writer connection inside the given transaction, nothing else.</param>
    /// <param name="cancellationToken">Cancels the write while it is queued.</param>
    /// <param name="months">Feedback months (see <see cref="MonthOf"/>) whose partitions should exist before it runs.</param>
    /// <param name="creates">Feedback whose users and items should exist before it runs (see <see cref="CreateIdsAsync"/>).</param>
    internal Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken,
        int[]? months = null, Engine.Storage.Feedback[]? creates = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || _groupCommit is null, this);
        return _groupCommit.WriteAsync<T>(new PostgresWrite(async (c, t) => await work(c, t).ConfigureAwait(false), months, creates), cancellationToken);
    }

    /// <summary>The writer's connection, opened again when the previous one broke (server restart, network).</summary>
    private async Task<NpgsqlConnection> WriterConnectionAsync()
    {
        if (_writer is { State: ConnectionState.Open })
        {
            return _writer;
        }
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
        _writer = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return _writer;
    }

    /// <summary>A deadlock or serialization failure: the transaction was rolled back and can run again as it was.</summary>
    private static bool IsConflict(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <summary>One queued write.</summary>
    /// <param name="Work">Statements on the writer connection inside the given transaction.</param>
    /// <param name="Months">Feedback months whose partitions the write would like to exist; null when none are missing.</param>
    /// <param name="Creates">Feedback whose users and items the write creates when missing; null when it creates none.</param>
    private sealed record PostgresWrite(Func<NpgsqlConnection, NpgsqlTransaction, Task<object?>> Work, int[]? Months,
        Engine.Storage.Feedback[]? Creates);

    /// <summary>The store as the writer loop sees it; used by the loop alone.</summary>
    private sealed class GroupCommitAdapter(PostgresStore store) : IGroupCommitStore<PostgresWrite>
    {
        private NpgsqlConnection? _connection;

        public async ValueTask PrepareAsync(IReadOnlyList<PostgresWrite> group)
        {
            _connection = await store.WriterConnectionAsync().ConfigureAwait(false);
            await store.EnsurePartitionsAsync(_connection, group).ConfigureAwait(false);
            await store.CreateIdsAsync(_connection, group).ConfigureAwait(false);
        }

        public async ValueTask<IGroupTransaction<PostgresWrite>> BeginAsync()
        {
            var connection = _connection ?? throw new InvalidOperationException("PrepareAsync comes first");
            return new Transaction(connection, await connection.BeginTransactionAsync().ConfigureAwait(false));
        }

        public bool IsRepeatable(PostgresWrite write) => true; // statements only: model artifacts are written outside the writer

        public bool IsConflict(Exception error) => PostgresStore.IsConflict(error);

        public Exception Translate(Exception error) => IsUnavailable(error) ? Unavailable(error) : error;

        public void AfterCommit()
        {
        }
    }

    private sealed class Transaction(NpgsqlConnection connection, NpgsqlTransaction transaction) : IGroupTransaction<PostgresWrite>
    {
        public async ValueTask<object?> RunAsync(PostgresWrite write) => await write.Work(connection, transaction).ConfigureAwait(false);

        public ValueTask SaveAsync() => new(transaction.SaveAsync("w"));

        public ValueTask ReleaseAsync() => new(transaction.ReleaseAsync("w"));

        public async ValueTask RollbackToSaveAsync()
        {
            await transaction.RollbackAsync("w").ConfigureAwait(false);
            await transaction.ReleaseAsync("w").ConfigureAwait(false);
        }

        public ValueTask CommitAsync() => new(transaction.CommitAsync());

        public ValueTask RollbackAsync() => new(transaction.RollbackAsync());

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
