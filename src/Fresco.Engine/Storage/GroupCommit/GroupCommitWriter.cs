using System.Threading.Channels;

namespace Fresco.Engine.Storage.GroupCommit;

/// <summary>
/// Group commit, shared by the stores: one writer loop drains a bounded queue of writes; the writes that queued while
/// the previous commit was in flight run in ONE transaction (one fsync or WAL flush), in queue order, so commits follow
/// call order (a call queues its write before it returns). Writes rarely fail (inputs are validated before they queue),
/// so a group first runs without savepoints; if a write throws, the transaction is rolled back and the group runs again
/// with each write inside its own savepoint, so the failing one fails alone. A group holding a write that must not run
/// twice takes the savepoint path at once. A conflict (<see cref="IGroupCommitStore{TWrite}.IsConflict"/>) runs the
/// whole group again after a short random pause. A caller's task completes only after the commit that contains its
/// write; when the queue is full (<see cref="GroupCommitOptions.QueueCapacity"/>), callers wait for room.
/// Thread-safe: any thread may write; the store's transactions run on the loop alone.
/// </summary>
public sealed class GroupCommitWriter<TWrite>
{
    private readonly IGroupCommitStore<TWrite> _store;
    private readonly GroupCommitOptions _options;
    private readonly Channel<Request> _queue;
    private Task _loop = Task.CompletedTask;
    private long _groupsCommitted;
    private long _conflictRetries;

    public GroupCommitWriter(IGroupCommitStore<TWrite> store, GroupCommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxGroup, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConflictAttempts, 1);
        _store = store;
        _options = options;
        _queue = Channel.CreateBounded<Request>(
            new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Writes queued and not yet picked up by the loop (ingestion back-log).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Transactions committed (each holds one or more writes).</summary>
    public long GroupsCommitted => Interlocked.Read(ref _groupsCommitted);

    /// <summary>Groups run again after a conflict.</summary>
    public long ConflictRetries => Interlocked.Read(ref _conflictRetries);

    /// <summary>Starts the loop (once).</summary>
    public void Start()
    {
        if (_options.DedicatedThread is { } name)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() => BlockingLoop(done)) { IsBackground = true, Name = name };
            thread.Start();
            _loop = done.Task;
        }
        else
        {
            _loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>Lets the queued writes finish, then stops the loop; later writes throw <see cref="ObjectDisposedException"/>.</summary>
    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    /// <summary>Queues <paramref name="write"/> for the next group transaction; completes after its commit with its result.</summary>
    /// <remarks>Cancellation takes effect only while the write is still queued; once started it runs to commit.</remarks>
    public async Task<T> WriteAsync<T>(TWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new Request(write, cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            try
            {
                await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(GroupCommitWriter<TWrite>));
            }
        }
        return (T)(await request.Done.Task.ConfigureAwait(false))!;
    }

    private async Task LoopAsync()
    {
        var group = new List<Request>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await RunNextGroupAsync(group).ConfigureAwait(false);
        }
    }

    // A store with blocking writes: the thread waits for writes, and the group (whose transactions complete synchronously) runs on it.
    private void BlockingLoop(TaskCompletionSource done)
    {
        var group = new List<Request>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            RunNextGroupAsync(group).GetAwaiter().GetResult();
        }
        done.SetResult();
    }

    private async Task RunNextGroupAsync(List<Request> group)
    {
        while (group.Count < _options.MaxGroup && _queue.Reader.TryRead(out var request))
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

    private async Task RunGroupAsync(List<Request> group)
    {
        var writes = group.ConvertAll(r => r.Write);
        var results = new object?[group.Count];
        var failures = new Exception?[group.Count];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.PrepareAsync(writes).ConfigureAwait(false);
                if (group.Count == 1 || !writes.TrueForAll(_store.IsRepeatable) || !await TryRunTogetherAsync(writes, results).ConfigureAwait(false))
                {
                    await RunWithSavepointsAsync(writes, results, failures).ConfigureAwait(false);
                }
                break;
            }
            catch (Exception e) when (_store.IsConflict(e) && attempt < _options.MaxConflictAttempts)
            {
                // Another writer took the same keys in another order: the store rolled this transaction back whole
                // (nothing of it committed), so the group runs again after a short random pause.
                Interlocked.Increment(ref _conflictRetries);
                Array.Clear(results);
                Array.Clear(failures);
                await Task.Delay(Random.Shared.Next(1, 10 * attempt)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var error = _store.Translate(e);
                group.ForEach(r => r.Done.TrySetException(error));
                return;
            }
        }

        Interlocked.Increment(ref _groupsCommitted);
        for (var i = 0; i < group.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                group[i].Done.TrySetException(_store.Translate(failure));
            }
            else
            {
                group[i].Done.TrySetResult(results[i]);
            }
        }
        _store.AfterCommit();
    }

    /// <summary>Runs and commits the writes as one transaction; false (rolled back) when one throws other than a conflict.</summary>
    private async Task<bool> TryRunTogetherAsync(List<TWrite> writes, object?[] results)
    {
        var transaction = await _store.BeginAsync().ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                for (var i = 0; i < writes.Count; i++)
                {
                    results[i] = await transaction.RunAsync(writes[i]).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!_store.IsConflict(e))
            {
                await transaction.RollbackAsync().ConfigureAwait(false); // runs again with savepoints, which tells which write failed
                return false;
            }
            await transaction.CommitAsync().ConfigureAwait(false);
            return true;
        }
    }

    private async Task RunWithSavepointsAsync(List<TWrite> writes, object?[] results, Exception?[] failures)
    {
        var transaction = await _store.BeginAsync().ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            for (var i = 0; i < writes.Count; i++)
            {
                if (writes.Count == 1)
                {
                    results[i] = await transaction.RunAsync(writes[i]).ConfigureAwait(false); // alone: a failure fails the whole transaction
                    continue;
                }
                await transaction.SaveAsync().ConfigureAwait(false);
                try
                {
                    results[i] = await transaction.RunAsync(writes[i]).ConfigureAwait(false);
                    await transaction.ReleaseAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (!_store.IsConflict(e)) // a conflict aborts the whole transaction: the group runs again
                {
                    await transaction.RollbackToSaveAsync().ConfigureAwait(false);
                    failures[i] = e;
                }
            }
            await transaction.CommitAsync().ConfigureAwait(false);
        }
    }

    private sealed class Request(TWrite write, CancellationToken cancellationToken)
    {
        public TWrite Write { get; } = write;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
