using System.Runtime.InteropServices;

namespace Fresco.Core.Data;

/// <summary>
/// Maps outside string ids to dense <c>int</c> indices (0, 1, 2, ...) and back.
/// Not thread-safe for writes: one writer, or external locking; reads of indices that existed before a
/// write began are safe.
/// </summary>
public sealed class IdMap
{
    private readonly Dictionary<string, int> _indices;
    private readonly List<string> _ids;

    public IdMap(int capacity = 0)
    {
        _indices = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _ids = new List<string>(capacity);
    }

    public int Count => _ids.Count;

    public IReadOnlyList<string> Ids => _ids;

    /// <summary>The index of <paramref name="id"/>, adding it at the end when new.</summary>
    public int GetOrAdd(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_indices, id, out var exists);
        if (!exists)
        {
            index = _ids.Count;
            _ids.Add(id);
        }
        return index;
    }

    /// <summary>Looks an id up by a span without allocating a string.</summary>
    public bool TryGetIndex(ReadOnlySpan<char> id, out int index) =>
        _indices.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out index);

    public bool TryGetIndex(string id, out int index) => _indices.TryGetValue(id, out index);

    public string GetId(int index) => _ids[index];

    /// <summary>Builds a map whose index i is ids[i]; ids must be distinct.</summary>
    public static IdMap FromIds(IEnumerable<string> ids)
    {
        var map = new IdMap();
        foreach (var id in ids)
        {
            if (map.GetOrAdd(id) != map.Count - 1)
            {
                throw new ArgumentException($"Duplicate id '{id}'.", nameof(ids));
            }
        }
        return map;
    }
}
