using System.Threading.Channels;
using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// Group commit for <see cref="SqliteStore"/>: one dedicated writer thread drains a queue of writes; all writes that
/// queued while the previous commit was in progress run in ONE transaction (one fsync). Writes rarely fail (inputs are
/// validated before they queue), so a group first runs without savepoints (a savepoint per write costs a statement
/// journal and a page-cache truncation, about a sixth of the writer's time); if one write throws, the transaction
/// is rolled back and the group runs again with each write inside its own savepoint, so the failing one rolls back
/// alone. Writes with effects outside the database (model files) never run twice: a group holding one takes the
/// savepoint path at once. A caller's task completes only after the commit that contains its write.
/// The queue is bounded (<see cref="QueueCapacity"/> writes): when the disk cannot keep up, callers wait for room
/// (back-pressure) instead of growing memory without limit. A write that fails because the disk is full fails with
/// <see cref="StoreFullException"/>; the next group tries again, so writes resume once space is freed.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>Writes that may wait for the writer thread before callers are held back.</summary>
    public const int QueueCapacity = 4096;

    private const int MaxGroup = 1024;

    /// <summary>Ids remembered per table by <see cref="KnownIds"/> (a few tens of MB at most).</summary>
    private const int KnownIdsCapacity = 1 << 18;

    private readonly KnownIds _knownUsers = new(KnownIdsCapacity);
    private readonly KnownIds _knownItems = new(KnownIdsCapacity);

    private readonly Channel<WriteRequest> _queue = Channel.CreateBounded<WriteRequest>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Writes queued and not yet picked up by the writer thread (ingestion back-log).</summary>
    public int QueueDepth => _queue.Reader.Count;

    private Thread? _writerThread;

    private void StartWriter()
    {
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "fresco-sqlite-writer" };
        _writerThread.Start();
    }

    /// <summary>Queues <paramref name="work"/> for the next group transaction; completes after its commit.</summary>
    /// <remarks>Cancellation takes effect only while the write is still queued; once started it runs to commit.</remarks>
    /// <param name="work">The write; it must touch nothing outside the transaction unless <paramref name="sideEffects"/>.</param>
    /// <param name="cancellationToken">Cancels the write while it is queued.</param>
    /// <param name="sideEffects">The write changes files too, so it must not run twice (see the type's remarks).</param>
    internal async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, bool sideEffects = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new WriteRequest(tx => work(tx), cancellationToken, sideEffects);
        if (!_queue.Writer.TryWrite(request))
        {
            try
            {
                await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(SqliteStore));
            }
        }

        return (T)(await request.Done.Task.ConfigureAwait(false))!;
    }

    private void WriterLoop()
    {
        var group = new List<WriteRequest>();
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (group.Count < MaxGroup && reader.TryRead(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Done.TrySetCanceled(request.CancellationToken);
                }
                else
                {
                    group.Add(request);
                }
            }

            if (group.Count > 0)
            {
                RunGroup(group);
                group.Clear();
            }
        }
    }

    private void RunGroup(List<WriteRequest> group)
    {
        var results = new object?[group.Count];
        var failures = new Exception?[group.Count];
        try
        {
            if (group.Count == 1 || group.Exists(r => r.SideEffects) || !TryRunTogether(group, results))
            {
                RunWithSavepoints(group, results, failures);
            }
        }
        catch (Exception e)
        {
            _knownUsers.Abort();
            _knownItems.Abort();
            var error = Translated(e);
            group.ForEach(r => r.Done.TrySetException(error));
            return;
        }

        _knownUsers.Commit();
        _knownItems.Commit();

        for (var i = 0; i < group.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                group[i].Done.TrySetException(Translated(failure));
            }
            else
            {
                group[i].Done.TrySetResult(results[i]);
            }
        }

        AfterCommit();
    }

    /// <summary>SQLite's "database or disk is full" (SQLITE_FULL) as the engine's <see cref="StoreFullException"/>; others unchanged.</summary>
    private static Exception Translated(Exception error) =>
        error is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_FULL }
            ? new StoreFullException($"the disk of the SQLite store is full: {error.Message}", error)
            : error;

    /// <summary>Runs and commits the group as one transaction; false (rolled back) when a write throws.</summary>
    private bool TryRunTogether(List<WriteRequest> group, object?[] results)
    {
        using var transaction = _writer.BeginTransaction();
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = group[i].Work(transaction);
            }
        }
        catch (Exception)
        {
            transaction.Rollback(); // the group runs again with savepoints, which tells which write failed
            _knownUsers.Abort();
            _knownItems.Abort();
            return false;
        }

        transaction.Commit();
        return true;
    }

    private void RunWithSavepoints(List<WriteRequest> group, object?[] results, Exception?[] failures)
    {
        using var transaction = _writer.BeginTransaction();
        for (var i = 0; i < group.Count; i++)
        {
            if (group.Count == 1)
            {
                results[i] = group[i].Work(transaction); // alone: a failure rolls back the whole transaction
                continue;
            }

            transaction.Save("w");
            var (users, items) = (_knownUsers.Mark, _knownItems.Mark);
            try
            {
                results[i] = group[i].Work(transaction);
                transaction.Release("w");
            }
            catch (Exception e)
            {
                transaction.Rollback("w");
                transaction.Release("w");
                _knownUsers.RollbackTo(users);
                _knownItems.RollbackTo(items);
                failures[i] = e;
            }
        }

        transaction.Commit();
    }

    private sealed class WriteRequest(Func<SqliteTransaction, object?> work, CancellationToken cancellationToken, bool sideEffects)
    {
        public bool SideEffects { get; } = sideEffects;

        public Func<SqliteTransaction, object?> Work { get; } = work;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
