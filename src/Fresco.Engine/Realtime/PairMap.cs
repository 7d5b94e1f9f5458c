namespace Fresco.Engine.Realtime;

/// <summary>
/// One user's pairs, item -> <see cref="UserState.Pair"/>, as two arrays sorted by item. Hand-written because a
/// <c>Dictionary&lt;int, Pair&gt;</c> costs about 70 bytes per pair in the live state's biggest structure and this
/// about 37 (28 per slot, doubling growth); a user holds at most <see cref="LiveOptions.MaxHistoryPerUser"/> pairs,
/// so the O(n) shift of an insert is a short memmove. Not thread-safe: the owner's stripe lock guards it.
/// </summary>
internal sealed class PairMap
{
    private int[] _items = [];
    private UserState.Pair[] _pairs = [];

    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>-th item, ascending.</summary>
    public int ItemAt(int index) => _items[index];

    /// <summary>The pair of <see cref="ItemAt"/>(<paramref name="index"/>).</summary>
    public UserState.Pair PairAt(int index) => _pairs[index];

    public bool TryGetValue(int item, out UserState.Pair pair)
    {
        var at = Array.BinarySearch(_items, 0, Count, item);
        pair = at >= 0 ? _pairs[at] : default;
        return at >= 0;
    }

    /// <summary>Sets the item's pair, adding the item when new.</summary>
    public void Set(int item, UserState.Pair pair)
    {
        var at = Array.BinarySearch(_items, 0, Count, item);
        if (at >= 0)
        {
            _pairs[at] = pair;
            return;
        }
        at = ~at;
        if (Count == _items.Length)
        {
            var capacity = Math.Max(4, Count * 2);
            Array.Resize(ref _items, capacity);
            Array.Resize(ref _pairs, capacity);
        }
        Array.Copy(_items, at, _items, at + 1, Count - at);
        Array.Copy(_pairs, at, _pairs, at + 1, Count - at);
        _items[at] = item;
        _pairs[at] = pair;
        Count++;
    }

    /// <summary>Removes the item; false when it was absent.</summary>
    public bool Remove(int item)
    {
        var at = Array.BinarySearch(_items, 0, Count, item);
        if (at < 0)
        {
            return false;
        }
        Count--;
        Array.Copy(_items, at + 1, _items, at, Count - at);
        Array.Copy(_pairs, at + 1, _pairs, at, Count - at);
        return true;
    }

    /// <summary>Forgets every pair and releases the arrays.</summary>
    public void Clear()
    {
        _items = [];
        _pairs = [];
        Count = 0;
    }
}
