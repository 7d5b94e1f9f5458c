using System.Data;
using System.Threading.Channels;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// Group commit for <see cref="PostgresStore"/>: one writer loop owns one connection and drains a bounded queue of
/// writes; the writes that queued while the previous commit was in flight run in ONE transaction (one WAL flush), in
/// queue order, so commits follow call order (a call queues its write before it returns). Writes rarely fail (inputs
/// are validated before they queue), so a group first runs without savepoints; if one write throws, the transaction
/// is rolled back and the group runs again with each write inside its own savepoint, so the failing one rolls back
/// alone. A caller's task completes only after the commit that contains its write. The queue is bounded
/// (<see cref="QueueCapacity"/> writes): when the server cannot keep up, callers wait for room (back-pressure).
/// </summary>
public sealed partial class PostgresStore
{
    /// <summary>Writes that may wait for the writer before callers are held back.</summary>
    public const int QueueCapacity = 4096;

    private const int MaxGroup = 1024;
    private const int MaxConflictAttempts = 20;

    private readonly Channel<WriteRequest> _queue = Channel.CreateBounded<WriteRequest>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private NpgsqlConnection? _writer;
    private Task? _writerLoop;
    private long _groupsCommitted;
    private long _conflictRetries;

    /// <summary>Writes queued and not yet picked up by the writer (ingestion back-log).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Transactions the writer committed (each holds one or more writes).</summary>
    internal long GroupsCommitted => Interlocked.Read(ref _groupsCommitted);

    /// <summary>Groups run again after a deadlock or serialization failure.</summary>
    internal long ConflictRetries => Interlocked.Read(ref _conflictRetries);

    private async Task StartWriterAsync(CancellationToken cancellationToken)
    {
        _writer = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        _writerLoop = Task.Run(WriterLoopAsync, CancellationToken.None);
    }

    private async Task StopWriterAsync()
    {
        _queue.Writer.TryComplete();
        if (_writerLoop is not null)
        {
            await _writerLoop.ConfigureAwait(false);
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
    internal async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken,
        int[]? months = null, Engine.Storage.Feedback[]? creates = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var request = new WriteRequest(async (c, t) => await work(c, t).ConfigureAwait(false), cancellationToken, months, creates);
        if (!_queue.Writer.TryWrite(request))
        {
            try
            {
                await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(PostgresStore));
            }
        }

        try
        {
            return (T)(await request.Done.Task.ConfigureAwait(false))!;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private async Task WriterLoopAsync()
    {
        var group = new List<WriteRequest>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
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
                await RunGroupAsync(group).ConfigureAwait(false);
                group.Clear();
            }
        }
    }

    private async Task RunGroupAsync(List<WriteRequest> group)
    {
        var results = new object?[group.Count];
        var failures = new Exception?[group.Count];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var writer = await WriterConnectionAsync().ConfigureAwait(false);
                await EnsurePartitionsAsync(writer, group).ConfigureAwait(false);
                await CreateIdsAsync(writer, group).ConfigureAwait(false);
                if (group.Count == 1 || !await TryRunTogetherAsync(writer, group, results).ConfigureAwait(false))
                {
                    await RunWithSavepointsAsync(writer, group, results, failures).ConfigureAwait(false);
                }

                break;
            }
            catch (Exception e) when (IsConflict(e) && attempt < MaxConflictAttempts)
            {
                // Another node's transaction took the same keys in another order: PostgreSQL rolled this one back whole
                // (nothing of it committed), so the group runs again after a short random pause.
                Interlocked.Increment(ref _conflictRetries);
                Array.Clear(results);
                Array.Clear(failures);
                await Task.Delay(Random.Shared.Next(1, 10 * attempt)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                group.ForEach(r => r.Done.TrySetException(e));
                return;
            }
        }

        Interlocked.Increment(ref _groupsCommitted);
        for (var i = 0; i < group.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                group[i].Done.TrySetException(failure);
            }
            else
            {
                group[i].Done.TrySetResult(results[i]);
            }
        }
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

    /// <summary>Runs and commits the group as one transaction; false (rolled back) when a write throws.</summary>
    private static async Task<bool> TryRunTogetherAsync(NpgsqlConnection writer, List<WriteRequest> group, object?[] results)
    {
        await using var transaction = await writer.BeginTransactionAsync().ConfigureAwait(false);
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = await group[i].Work(writer, transaction).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!IsConflict(e))
        {
            await transaction.RollbackAsync().ConfigureAwait(false); // runs again with savepoints, which tells which write failed
            return false;
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return true;
    }

    private static async Task RunWithSavepointsAsync(NpgsqlConnection writer, List<WriteRequest> group, object?[] results, Exception?[] failures)
    {
        await using var transaction = await writer.BeginTransactionAsync().ConfigureAwait(false);
        for (var i = 0; i < group.Count; i++)
        {
            if (group.Count == 1)
            {
                results[i] = await group[i].Work(writer, transaction).ConfigureAwait(false); // alone: a failure rolls back all
                continue;
            }

            await transaction.SaveAsync("w").ConfigureAwait(false);
            try
            {
                results[i] = await group[i].Work(writer, transaction).ConfigureAwait(false);
                await transaction.ReleaseAsync("w").ConfigureAwait(false);
            }
            catch (Exception e) when (!IsConflict(e)) // a conflict aborts the whole transaction: the group runs again
            {
                await transaction.RollbackAsync("w").ConfigureAwait(false);
                await transaction.ReleaseAsync("w").ConfigureAwait(false);
                failures[i] = e;
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>A deadlock or serialization failure: the transaction was rolled back and can run again as it was.</summary>
    private static bool IsConflict(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    private sealed class WriteRequest(Func<NpgsqlConnection, NpgsqlTransaction, Task<object?>> work, CancellationToken cancellationToken, int[]? months,
        Engine.Storage.Feedback[]? creates)
    {
        public Func<NpgsqlConnection, NpgsqlTransaction, Task<object?>> Work { get; } = work;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Feedback months whose partitions the write would like to exist; null when none are missing.</summary>
        public int[]? Months { get; } = months;

        /// <summary>Feedback whose users and items the write creates when missing; null when it creates none.</summary>
        public Engine.Storage.Feedback[]? Creates { get; } = creates;

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
