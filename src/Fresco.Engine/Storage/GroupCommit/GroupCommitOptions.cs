namespace Fresco.Engine.Storage.GroupCommit;

/// <summary>How a <see cref="GroupCommitWriter{TWrite}"/> queues and groups writes. Immutable.</summary>
public sealed record GroupCommitOptions
{
    /// <summary>Writes that may wait for the writer before callers are held back (back-pressure).</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>Writes at most in one transaction.</summary>
    public int MaxGroup { get; init; } = 1024;

    /// <summary>Attempts at a group that keeps meeting conflicts before its writes fail with the last one.</summary>
    public int MaxConflictAttempts { get; init; } = 20;

    /// <summary>
    /// The name of a dedicated thread to run the loop on, for a store whose writes block (SQLite's fsync): the loop then
    /// waits for writes by blocking that thread, and the store's transactions must complete synchronously. Null: the loop
    /// runs on the thread pool, for stores with asynchronous I/O.
    /// </summary>
    public string? DedicatedThread { get; init; }
}
