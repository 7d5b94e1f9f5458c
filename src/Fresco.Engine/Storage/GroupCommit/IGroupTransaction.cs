namespace Fresco.Engine.Storage.GroupCommit;

/// <summary>
/// One transaction of a <see cref="GroupCommitWriter{TWrite}"/>'s group, as a store runs it: the writes, a savepoint
/// around each write when the group must tell which one failed, then the commit. Disposing it without a commit rolls it
/// back. Used by the writer loop alone (not thread-safe).
/// </summary>
public interface IGroupTransaction<in TWrite> : IAsyncDisposable
{
    /// <summary>Runs one write inside the transaction; its result goes to the write's caller after the commit.</summary>
    ValueTask<object?> RunAsync(TWrite write);

    /// <summary>Sets a savepoint before one write.</summary>
    ValueTask SaveAsync();

    /// <summary>The write after the savepoint succeeded: releases it.</summary>
    ValueTask ReleaseAsync();

    /// <summary>The write after the savepoint failed: undoes it alone and releases the savepoint.</summary>
    ValueTask RollbackToSaveAsync();

    ValueTask CommitAsync();

    ValueTask RollbackAsync();
}
