namespace Fresco.Storage.Sqlite;

/// <summary>
/// Ids the store's writer knows to be in the users or items table, so a feedback insert skips the create statement
/// for them (one B-tree probe and one SQLite statement per row saved). An id becomes known only after the transaction
/// that created it commits (<see cref="Add"/> then <see cref="Commit"/>); deletes forget it at once. A miss is always
/// safe (the create statement does nothing for an existing row), so the set is simply cleared when it reaches its
/// capacity. Not thread-safe: the writer thread alone uses it.
/// </summary>
internal sealed class KnownIds(int capacity)
{
    private readonly HashSet<string> _committed = new(StringComparer.Ordinal);
    private readonly List<string> _pending = [];

    /// <summary>Ids added since the last commit: a savepoint remembers it to undo its own adds.</summary>
    public int Mark => _pending.Count;

    public bool Contains(string id) => _committed.Contains(id);

    /// <summary>Records an id created (or found) by the current transaction.</summary>
    public void Add(string id) => _pending.Add(id);

    /// <summary>Forgets the adds after <paramref name="mark"/> (their savepoint rolled back).</summary>
    public void RollbackTo(int mark) => _pending.RemoveRange(mark, _pending.Count - mark);

    /// <summary>Forgets every add of the current transaction (it rolled back).</summary>
    public void Abort() => _pending.Clear();

    /// <summary>The current transaction committed: its adds are known from now on.</summary>
    public void Commit()
    {
        if (_committed.Count + _pending.Count > capacity)
        {
            _committed.Clear();
        }
        foreach (var id in _pending)
        {
            _committed.Add(id);
        }
        _pending.Clear();
    }

    /// <summary>The id is being deleted (its transaction may still roll back: forgetting is always safe).</summary>
    public void Forget(string id)
    {
        _committed.Remove(id);
        _pending.RemoveAll(p => string.Equals(p, id, StringComparison.Ordinal));
    }
}
