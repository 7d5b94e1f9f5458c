namespace Fresco.Engine.Storage.GroupCommit;

/// <summary>
/// What a store gives a <see cref="GroupCommitWriter{TWrite}"/>: its transactions and how to read its failures. Called
/// by the writer loop alone, one group at a time.
/// </summary>
public interface IGroupCommitStore<TWrite>
{
    /// <summary>Work outside the group's transaction before each attempt at it (a connection, partitions, new ids).</summary>
    ValueTask PrepareAsync(IReadOnlyList<TWrite> group);

    ValueTask<IGroupTransaction<TWrite>> BeginAsync();

    /// <summary>False for a write with effects outside the transaction (files): it must never run twice.</summary>
    bool IsRepeatable(TWrite write);

    /// <summary>
    /// A conflict with another writer of the same database (a deadlock): the store rolled the whole transaction back
    /// and the group may run again as it was.
    /// </summary>
    bool IsConflict(Exception error);

    /// <summary>The failure as the write's caller sees it (e.g. the engine's <see cref="StoreFullException"/>).</summary>
    Exception Translate(Exception error);

    /// <summary>After a group committed and its callers have their answers.</summary>
    void AfterCommit();
}
