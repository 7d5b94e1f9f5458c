using System.Collections.Concurrent;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Catalog;

/// <summary>
/// What the recommendation pipeline needs of the item catalog, by live item index: whether an item exists and is
/// visible (not hidden), its categories (one <see cref="BitSet"/> per category) and its timestamp (for "latest").
/// <see cref="Generation"/> increases on every change that can alter a list. Thread-safe: reads never lock;
/// writes take one lock.
/// </summary>
internal sealed class ItemCatalog
{
    private readonly Lock _lock = new();
    private readonly BitSet _exists = new();
    private readonly BitSet _visible = new();
    private readonly ConcurrentDictionary<string, BitSet> _categories = new(StringComparer.Ordinal);
    private string[][] _itemCategories = new string[16][];
    private long[] _ticks = new long[16];
    private long _generation;

    /// <summary>Bumped on every insert, patch, delete or category change.</summary>
    public long Generation => Volatile.Read(ref _generation);

    public bool Exists(int itemIndex) => _exists.Contains(itemIndex);

    /// <summary>Exists and is not hidden.</summary>
    public bool IsVisible(int itemIndex) => _visible.Contains(itemIndex);

    /// <summary>The items of a category, or null when no item ever had it.</summary>
    public BitSet? Category(string category) => _categories.TryGetValue(category, out var set) ? set : null;

    /// <summary>The item's timestamp in UTC ticks; <see cref="DateTimeOffset.MinValue"/> ticks when it has none.</summary>
    public long TimestampTicks(int itemIndex)
    {
        var ticks = Volatile.Read(ref _ticks);
        return (uint)itemIndex < (uint)ticks.Length ? ticks[itemIndex] : 0;
    }

    /// <summary>The number of index slots holding timestamps (items beyond have none).</summary>
    public int Capacity => Volatile.Read(ref _ticks).Length;

    /// <summary>Records the stored state of an item (insert, or the row read back after a patch).</summary>
    public void Upsert(int itemIndex, Item item)
    {
        lock (_lock)
        {
            Grow(itemIndex);
            foreach (var old in _itemCategories[itemIndex] ?? [])
            {
                _categories[old].Set(itemIndex, false);
            }
            var categories = item.Categories ?? [];
            foreach (var category in categories)
            {
                _categories.GetOrAdd(category, _ => new BitSet()).Set(itemIndex, true);
            }
            _itemCategories[itemIndex] = categories;
            Volatile.Write(ref _ticks[itemIndex], item.Timestamp.UtcTicks);
            _exists.Set(itemIndex, true);
            _visible.Set(itemIndex, !item.IsHidden);
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>Marks an item created by feedback (visible, no category, no timestamp) unless it exists already.</summary>
    public void EnsureExists(int itemIndex)
    {
        if (_exists.Contains(itemIndex))
        {
            return;
        }
        lock (_lock)
        {
            if (!_exists.Contains(itemIndex))
            {
                Grow(itemIndex);
                _exists.Set(itemIndex, true);
                _visible.Set(itemIndex, true);
            }
        }
    }

    public void Delete(int itemIndex)
    {
        lock (_lock)
        {
            Grow(itemIndex);
            foreach (var old in _itemCategories[itemIndex] ?? [])
            {
                _categories[old].Set(itemIndex, false);
            }
            _itemCategories[itemIndex] = [];
            Volatile.Write(ref _ticks[itemIndex], 0);
            _exists.Set(itemIndex, false);
            _visible.Set(itemIndex, false);
            Interlocked.Increment(ref _generation);
        }
    }

    private void Grow(int itemIndex)
    {
        if (itemIndex < _ticks.Length)
        {
            return;
        }
        var size = Math.Max(itemIndex + 1, _ticks.Length * 2);
        Array.Resize(ref _itemCategories, size);
        var ticks = _ticks;
        Array.Resize(ref ticks, size);
        Volatile.Write(ref _ticks, ticks);
    }
}
