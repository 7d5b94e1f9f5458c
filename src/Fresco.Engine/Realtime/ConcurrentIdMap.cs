using System.Collections.Concurrent;

namespace Fresco.Engine.Realtime;

/// <summary>
/// Maps string ids to dense indices, each with a state object created once. Thread-safe: lookups of known ids
/// never lock; adding a new id takes a short lock that only other additions wait on.
/// </summary>
internal sealed class ConcurrentIdMap<TState>
    where TState : class
{
    private readonly ConcurrentDictionary<string, int> _indices = new(StringComparer.Ordinal);
    private readonly Func<int, TState> _create;
    private readonly Lock _addLock = new();
    private Entry[] _entries = new Entry[16];
    private int _count;

    public ConcurrentIdMap(Func<int, TState> create) => _create = create;

    /// <summary>Entries 0..Count-1 are fully published.</summary>
    public int Count => Volatile.Read(ref _count);

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
            index = _count;
            var entries = _entries;
            if (index == entries.Length)
            {
                Array.Resize(ref entries, entries.Length * 2);
                Volatile.Write(ref _entries, entries);
            }
            entries[index] = new Entry(id, _create(index));
            Volatile.Write(ref _count, index + 1);
            _indices[id] = index;
            return index;
        }
    }

    public bool TryGetIndex(string id, out int index) => _indices.TryGetValue(id, out index);

    public string GetId(int index) => EntryAt(index).Id;

    public TState StateAt(int index) => EntryAt(index).State;

    private Entry EntryAt(int index)
    {
        // Read the count before the array: an array read later is at least as large as the count implies.
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Volatile.Read(ref _entries)[index];
    }

    private sealed record Entry(string Id, TState State);
}
