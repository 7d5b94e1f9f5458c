using System.Collections.Concurrent;

namespace Fresco.Engine.Realtime;

/// <summary>
/// Maps string ids to dense indices, each with a state object created once per owner. A slot can be released
/// (<see cref="Release"/>: its id forgotten, a placeholder state put in) and is then given to the next new id; indices
/// never move and <see cref="Count"/> never shrinks. Thread-safe: lookups of known ids never lock; adding a new id or
/// releasing one takes a short lock that only other additions and releases wait on. A reader that resolved an id to an
/// index earlier can find the slot given to another id since: <see cref="TryGetState"/> and <see cref="GetOrAddState"/>
/// read the id and its state from one immutable entry, so they never pair an id with another owner's state.
/// </summary>
internal sealed class ConcurrentIdMap<TState>
    where TState : class
{
    private readonly ConcurrentDictionary<string, int> _indices = new(StringComparer.Ordinal);
    private readonly Func<int, string, TState> _create;
    private readonly Lock _addLock = new();
    private readonly Stack<int> _free = new();
    private Entry[] _entries = new Entry[16];
    private int _count;

    /// <param name="create">The state of a new id at an index (a released slot's, or the next one).</param>
    public ConcurrentIdMap(Func<int, string, TState> create) => _create = create;

    /// <summary>Entries 0..Count-1 are fully published (released slots included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Released slots not given to a new id yet.</summary>
    public int FreeCount
    {
        get
        {
            lock (_addLock)
            {
                return _free.Count;
            }
        }
    }

    public int GetOrAdd(string id)
    {
        if (_indices.TryGetValue(id, out var index))
        {
            return index;
        }
        ArgumentException.ThrowIfNullOrEmpty(id);
        lock (_addLock)
        {
            if (_indices.TryGetValue(id, out index))
            {
                return index;
            }
            if (_free.TryPop(out index))
            {
                Volatile.Write(ref _entries[index], new Entry(id, _create(index, id)));
            }
            else
            {
                index = Append(new Entry(id, _create(_count, id)));
            }
            _indices[id] = index;
            return index;
        }
    }

    /// <summary>The id's state, the id added when new; never another owner's.</summary>
    public TState GetOrAddState(string id)
    {
        while (true)
        {
            var entry = EntryAt(GetOrAdd(id));
            if (string.Equals(entry.Id, id, StringComparison.Ordinal))
            {
                return entry.State;
            }
        }
    }

    /// <summary>The id's index and state, read from one entry; false for an unknown (or released) id.</summary>
    public bool TryGetState(string id, out int index, out TState state)
    {
        while (_indices.TryGetValue(id, out index))
        {
            var entry = EntryAt(index);
            if (string.Equals(entry.Id, id, StringComparison.Ordinal))
            {
                state = entry.State;
                return true;
            }
            // Released (and maybe given to another id) after the dictionary was read: read it again.
        }
        state = null!;
        return false;
    }

    public bool TryGetIndex(string id, out int index) => _indices.TryGetValue(id, out index);

    /// <summary>The id at <paramref name="index"/>; "" for a released slot.</summary>
    public string GetId(int index) => EntryAt(index).Id;

    public TState StateAt(int index) => EntryAt(index).State;

    /// <summary>
    /// Forgets the id at <paramref name="index"/> when its state is still <paramref name="owner"/> and puts
    /// <paramref name="placeholder"/> (a state no id resolves to) in the slot, which the next new id gets. False when the
    /// slot changed owner or was released already.
    /// </summary>
    public bool Release(int index, TState owner, TState placeholder)
    {
        lock (_addLock)
        {
            var entry = EntryAt(index);
            if (!ReferenceEquals(entry.State, owner) || entry.Id.Length == 0)
            {
                return false;
            }
            _indices.TryRemove(entry.Id, out _);
            Volatile.Write(ref _entries[index], new Entry("", placeholder));
            _free.Push(index);
            return true;
        }
    }

    /// <summary>Appends a released slot holding <paramref name="placeholder"/>'s state (start-up: a model's free row).</summary>
    public int AddReleased(Func<int, TState> placeholder)
    {
        lock (_addLock)
        {
            var index = Append(new Entry("", placeholder(_count)));
            _free.Push(index);
            return index;
        }
    }

    /// <summary>Under the add lock: the entry at the end; returns its index.</summary>
    private int Append(Entry entry)
    {
        var index = _count;
        var entries = _entries;
        if (index == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
            Volatile.Write(ref _entries, entries);
        }
        entries[index] = entry;
        Volatile.Write(ref _count, index + 1);
        return index;
    }

    private Entry EntryAt(int index)
    {
        // Read the count before the array: an array read later is at least as large as the count implies.
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Volatile.Read(ref Volatile.Read(ref _entries)[index]);
    }

    private sealed record Entry(string Id, TState State);
}
