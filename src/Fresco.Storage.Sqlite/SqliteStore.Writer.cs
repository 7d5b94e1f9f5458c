using Fresco.Engine.Storage;
using Fresco.Engine.Storage.GroupCommit;
using Microsoft.Data.Sqlite;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// Group commit for <see cref="SqliteStore"/>: the engine's <see cref="GroupCommitWriter{TWrite}"/> on the single writer
/// connection, its loop on a dedicated thread (SQLite's writes and fsync block). A group first runs without savepoints
/// (a savepoint per write costs a statement journal and a page-cache truncation, about a sixth of the writer's time).
/// Writes with effects outside the database (model files) never run twice: a group holding one takes the savepoint path
/// at once. When the disk cannot keep up, callers wait for room in the queue (<see cref="QueueCapacity"/>). A write
/// that fails because the disk is full fails with <see cref="StoreFullException"/>; the next group tries again, so
/// writes resume once space is freed.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>Writes that may wait for the writer thread before callers are held back.</summary>
    public const int QueueCapacity = 4096;

    /// <summary>Ids remembered per table by <see cref="KnownIds"/> (a few tens of MB at most).</summary>
    private const int KnownIdsCapacity = 1 << 18;

    private readonly KnownIds _knownUsers = new(KnownIdsCapacity);
    private readonly KnownIds _knownItems = new(KnownIdsCapacity);
    private GroupCommitWriter<SqliteWrite>? _groupCommit;

    /// <summary>Writes queued and not yet picked up by the writer thread (ingestion back-log).</summary>
    public int QueueDepth => _groupCommit?.QueueDepth ?? 0;

    private void StartWriter()
    {
        _groupCommit = new GroupCommitWriter<SqliteWrite>(new GroupCommitAdapter(this),
            new GroupCommitOptions { QueueCapacity = QueueCapacity, DedicatedThread = "fresco-sqlite-writer" });
        _groupCommit.Start();
    }

    private Task StopWriterAsync() => _groupCommit?.StopAsync() ?? Task.CompletedTask;

    /// <summary>Queues <paramref name="work"/> for the next group transaction; completes after its commit.</summary>
    /// <remarks>Cancellation takes effect only while the write is still queued; once started it runs to commit.</remarks>
    /// <param name="work">The write; it must touch nothing outside the transaction unless <paramref name="sideEffects"/>.</param>
    /// <param name="cancellationToken">Cancels the write while it is queued.</param>
    /// <param name="sideEffects">The write changes files too, so it must not run twice (see the type's remarks).</param>
    internal Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, bool sideEffects = false)
    {
        ObjectDisposedException.ThrowIf(_groupCommit is null, this);
        return _groupCommit.WriteAsync<T>(new SqliteWrite(tx => work(tx), sideEffects), cancellationToken);
    }

    /// <summary>SQLite's "database or disk is full" (SQLITE_FULL) as the engine's <see cref="StoreFullException"/>; others unchanged.</summary>
    private static Exception Translated(Exception error) =>
        error is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL }
            ? new StoreFullException($"the disk of the SQLite store is full: {error.Message}", error)
            : error;

    private sealed record SqliteWrite(Func<SqliteTransaction, object?> Work, bool SideEffects);

    /// <summary>The store as the writer thread sees it: its transactions complete synchronously. Used by that thread alone.</summary>
    private sealed class GroupCommitAdapter(SqliteStore store) : IGroupCommitStore<SqliteWrite>
    {
        public ValueTask PrepareAsync(IReadOnlyList<SqliteWrite> group) => ValueTask.CompletedTask;

        public ValueTask<IGroupTransaction<SqliteWrite>> BeginAsync() =>
            ValueTask.FromResult<IGroupTransaction<SqliteWrite>>(new Transaction(store, store._writer.BeginTransaction()));

        public bool IsRepeatable(SqliteWrite write) => !write.SideEffects;

        public bool IsConflict(Exception error) => false; // one writer connection: nothing to conflict with

        public Exception Translate(Exception error) => Translated(error);

        public void AfterCommit() => store.AfterCommit();
    }

    /// <summary>A writer transaction; the ids its writes add become known when it commits, and are forgotten when it does not.</summary>
    private sealed class Transaction(SqliteStore store, SqliteTransaction transaction) : IGroupTransaction<SqliteWrite>
    {
        private (int Users, int Items) _mark;
        private bool _committed;

        public ValueTask<object?> RunAsync(SqliteWrite write) => ValueTask.FromResult(write.Work(transaction));

        public ValueTask SaveAsync()
        {
            transaction.Save("w");
            _mark = (store._knownUsers.Mark, store._knownItems.Mark);
            return ValueTask.CompletedTask;
        }

        public ValueTask ReleaseAsync()
        {
            transaction.Release("w");
            return ValueTask.CompletedTask;
        }

        public ValueTask RollbackToSaveAsync()
        {
            transaction.Rollback("w");
            transaction.Release("w");
            store._knownUsers.RollbackTo(_mark.Users);
            store._knownItems.RollbackTo(_mark.Items);
            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync()
        {
            transaction.Commit();
            _committed = true;
            store._knownUsers.Commit();
            store._knownItems.Commit();
            return ValueTask.CompletedTask;
        }

        public ValueTask RollbackAsync()
        {
            transaction.Rollback();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            transaction.Dispose();
            if (!_committed)
            {
                store._knownUsers.Abort();
                store._knownItems.Abort();
            }
            return ValueTask.CompletedTask;
        }
    }
}
