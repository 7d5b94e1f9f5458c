using System.Collections.Concurrent;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Catalog;

/// <summary>
/// What the recommendation pipeline needs of the item catalog, by live item index: whether an item exists and is
/// visible (not hidden), its categories (one <see cref="BitSet"/> per category), its timestamp (for "latest") and its
/// stored row (what scenario rules read). <see cref="Generation"/> increases on every change that can alter a list.
/// Listeners (<see cref="Attach"/>: compiled scenarios) follow every change under the write lock. Thread-safe: reads
/// never lock; writes take one lock.
/// </summary>
internal sealed class ItemCatalog
{
    private readonly Lock _lock = new();
    private readonly BitSet _exists = new();
    private readonly BitSet _visible = new();
    private readonly BitSet _deleted = new();
    private readonly ConcurrentDictionary<string, BitSet> _categories = new(StringComparer.Ordinal);
    private Item?[] _items = new Item?[16];
    private IItemListener[] _listeners = [];
    private long[] _ticks = new long[16];
    private long _generation;
    private long _expiredBefore;

    /// <summary>Bumped on every insert, patch, delete or category change.</summary>
    public long Generation => Volatile.Read(ref _generation);

    public bool Exists(int itemIndex) => _exists.Contains(itemIndex);

    /// <summary>Deleted (<see cref="Delete"/>) and not written since: its slot may be released (<see cref="Forget"/>).</summary>
    public bool IsDeleted(int itemIndex) => _deleted.Contains(itemIndex);

    /// <summary>Exists, is not hidden, and is not expired (<see cref="ExpireBefore"/>).</summary>
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

    /// <summary>The item's categories (empty when it has none or does not exist).</summary>
    public ReadOnlySpan<string> CategoriesOf(int itemIndex)
    {
        var items = Volatile.Read(ref _items);
        return (uint)itemIndex < (uint)items.Length && Volatile.Read(ref items[itemIndex]) is { } item ? item.Categories : [];
    }

    /// <summary>
    /// Tells <paramref name="listener"/> the state of every existing item (<paramref name="scan"/>), then of every later
    /// change until <see cref="Detach"/>; both under the write lock, so the listener misses no change. A scan that throws
    /// attaches nothing.
    /// </summary>
    public void Attach(IItemListener listener, Action<IItemListener, int, Item?>? scan = null)
    {
        lock (_lock)
        {
            var items = _items;
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i] is { } item)
                {
                    (scan ?? Tell)(listener, i, item);
                }
            }
            Volatile.Write(ref _listeners, [.. _listeners, listener]);
        }
    }

    public void Detach(IItemListener listener)
    {
        lock (_lock)
        {
            Volatile.Write(ref _listeners, [.. _listeners.Where(l => !ReferenceEquals(l, listener))]);
        }
    }

    /// <summary>Records the stored state of an item (insert, or the row read back after a patch).</summary>
    public void Upsert(int itemIndex, Item item)
    {
        lock (_lock)
        {
            Grow(itemIndex);
            foreach (var old in _items[itemIndex]?.Categories ?? [])
            {
                _categories[old].Set(itemIndex, false);
            }
            item = item with { Categories = item.Categories ?? [], Labels = item.Labels ?? [], Comment = item.Comment ?? "" };
            foreach (var category in item.Categories)
            {
                _categories.GetOrAdd(category, _ => new BitSet()).Set(itemIndex, true);
            }
            Volatile.Write(ref _items[itemIndex], item);
            Volatile.Write(ref _ticks[itemIndex], item.Timestamp.UtcTicks);
            _exists.Set(itemIndex, true);
            _deleted.Set(itemIndex, false);
            _visible.Set(itemIndex, !item.IsHidden && !Expired(item.Timestamp.UtcTicks));
            Changed(itemIndex, item);
        }
    }

    /// <summary>Marks an item created by feedback (visible, no category, no timestamp) unless it exists already.</summary>
    public void EnsureExists(int itemIndex, string itemId)
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
                var item = new Item(itemId, false, [], [], "", DateTimeOffset.MinValue);
                Volatile.Write(ref _items[itemIndex], item);
                _exists.Set(itemIndex, true);
                _deleted.Set(itemIndex, false);
                _visible.Set(itemIndex, true);
                Changed(itemIndex, item);
            }
        }
    }

    public void Delete(int itemIndex)
    {
        lock (_lock)
        {
            Grow(itemIndex);
            foreach (var old in _items[itemIndex]?.Categories ?? [])
            {
                _categories[old].Set(itemIndex, false);
            }
            Volatile.Write(ref _items[itemIndex], null);
            Volatile.Write(ref _ticks[itemIndex], 0);
            _exists.Set(itemIndex, false);
            _deleted.Set(itemIndex, true);
            _visible.Set(itemIndex, false);
            Changed(itemIndex, null);
        }
    }

    /// <summary>Forgets that the slot's item was deleted: the slot was released, and is as a new one (the delete left it empty).</summary>
    public void Forget(int itemIndex)
    {
        lock (_lock)
        {
            _deleted.Set(itemIndex, false);
        }
    }

    /// <summary>
    /// Hides from recommendations every item dated before <paramref name="cutoffTicks"/> (UTC ticks; items without a
    /// timestamp never expire), now and when written later (the item TTL). Their stored rows and categories are kept;
    /// listeners are not told (the stored state did not change). Returns how many items this call hid. O(items).
    /// </summary>
    public int ExpireBefore(long cutoffTicks)
    {
        lock (_lock)
        {
            Volatile.Write(ref _expiredBefore, cutoffTicks);
            var hidden = 0;
            var ticks = _ticks;
            for (var i = 0; i < ticks.Length; i++)
            {
                if (_visible.Contains(i) && Expired(ticks[i]))
                {
                    _visible.Set(i, false);
                    hidden++;
                }
            }
            if (hidden > 0)
            {
                Interlocked.Increment(ref _generation);
            }
            return hidden;
        }
    }

    private bool Expired(long ticks) => ticks > 0 && ticks < Volatile.Read(ref _expiredBefore);

    private void Grow(int itemIndex)
    {
        if (itemIndex < _ticks.Length)
        {
            return;
        }
        var size = Math.Max(itemIndex + 1, _ticks.Length * 2);
        var items = _items;
        Array.Resize(ref items, size);
        Volatile.Write(ref _items, items);
        var ticks = _ticks;
        Array.Resize(ref ticks, size);
        Volatile.Write(ref _ticks, ticks);
    }

    /// <summary>Under the lock: tells the listeners, then bumps the generation.</summary>
    private void Changed(int itemIndex, Item? item)
    {
        foreach (var listener in _listeners)
        {
            listener.ItemChanged(itemIndex, item);
        }
        Interlocked.Increment(ref _generation);
    }

    private static void Tell(IItemListener listener, int itemIndex, Item? item) => listener.ItemChanged(itemIndex, item);
}
