namespace Fresco.Engine.Realtime;

/// <summary>
/// Orders the engine's writes per stripe (a stripe is a hash bucket of user ids) without holding a lock while the
/// store commits. A pipelined write (<see cref="RunAsync{TStored, TResult}"/>) hands its rows to the store at once, in
/// call order, so writes on the same stripes share group commits; it applies its rows to the in-memory state only
/// after its commit and after every earlier write on its stripes has applied, so the state sees writes in the order
/// the store committed them. An exclusive write (<see cref="RunExclusiveAsync{T}"/>: a delete, a rebuild from the
/// store) waits for every earlier write on its stripes, and writes after it on those stripes wait for it before they
/// reach the store. Thread-safe.
/// </summary>
/// <remarks>
/// Call order becomes commit order because the store queues a write inside the call (a single FIFO writer queue:
/// SqliteStore in Fresco.Storage.Sqlite), and the call is made under this type's lock.
/// </remarks>
internal sealed class WriteSequencer
{
    private readonly Lock _gate = new();
    private readonly Tail[] _tails;

    public WriteSequencer(int stripes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stripes);
        _tails = new Tail[stripes];
        Array.Fill(_tails, new Tail(Task.CompletedTask, Exclusive: false));
    }

    /// <summary>Writes through <paramref name="store"/> at once and runs <paramref name="apply"/> in order.</summary>
    public async Task<TResult> RunAsync<TStored, TResult>(
        int[] stripes, Func<Task<TStored>> store, Func<TStored, Task<TResult>> apply)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<TStored>? stored = null;
        Task previous;
        bool waitFirst;
        lock (_gate)
        {
            (previous, waitFirst) = Enter(stripes, done.Task, exclusive: false);
            if (!waitFirst)
            {
                stored = Start(store);
            }
        }

        try
        {
            if (waitFirst)
            {
                await previous.ConfigureAwait(false);
                stored = store();
            }
            var result = await stored!.ConfigureAwait(false);
            await previous.ConfigureAwait(false);
            return await apply(result).ConfigureAwait(false);
        }
        finally
        {
            ReleaseAfter(previous, done);
        }
    }

    /// <summary>Runs <paramref name="work"/> after every earlier write on <paramref name="stripes"/>, alone on them.</summary>
    public async Task<T> RunExclusiveAsync<T>(int[] stripes, Func<Task<T>> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            (previous, _) = Enter(stripes, done.Task, exclusive: true);
        }

        try
        {
            await previous.ConfigureAwait(false);
            return await work().ConfigureAwait(false);
        }
        finally
        {
            done.SetResult();
        }
    }

    /// <summary>
    /// Takes the caller's place on its stripes (under the lock). Answers what to wait for and whether the write must
    /// wait before it reaches the store: it must when it is exclusive, or when an earlier write on one of its stripes
    /// still waits (or holds them exclusively), since that one reaches the store later than this call.
    /// </summary>
    private (Task Previous, bool WaitFirst) Enter(int[] stripes, Task done, bool exclusive)
    {
        var waitFirst = exclusive;
        Task? single = null;
        List<Task>? many = null;
        foreach (var s in stripes)
        {
            var tail = _tails[s];
            if (tail.Done.IsCompleted || tail.Done == single || (many?.Contains(tail.Done) ?? false))
            {
                continue;
            }
            waitFirst |= tail.Exclusive;
            if (single is null)
            {
                single = tail.Done;
            }
            else
            {
                (many ??= [single]).Add(tail.Done);
            }
        }

        foreach (var s in stripes)
        {
            _tails[s] = new Tail(done, waitFirst);
        }
        var previous = many is not null ? Task.WhenAll(many) : single ?? Task.CompletedTask;
        return (previous, waitFirst);
    }

    /// <summary>
    /// Completes <paramref name="done"/> once <paramref name="previous"/> has: a write that failed before it waited for
    /// its predecessors (its store call threw) must not let its successors apply ahead of them. Its caller is answered
    /// at once; only its place on the stripes is held until then.
    /// </summary>
    private static void ReleaseAfter(Task previous, TaskCompletionSource done)
    {
        if (previous.IsCompleted)
        {
            done.SetResult();
            return;
        }
        previous.ContinueWith(
            static (_, state) => ((TaskCompletionSource)state!).SetResult(), done,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static Task<T> Start<T>(Func<Task<T>> store)
    {
        try
        {
            return store();
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e); // a synchronous throw (bad input) answers through the task, after the lock
        }
    }

    /// <summary>The last write on a stripe; <see cref="Exclusive"/>: later writes must wait before the store.</summary>
    private readonly record struct Tail(Task Done, bool Exclusive);
}
