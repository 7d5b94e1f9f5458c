using Fresco.Core.Ranking;
using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// The popular, trending and latest lists (live item indices, best first, up to a fixed depth), recomputed lazily
/// after a change: at once for catalogs of up to <see cref="EagerItems"/> items, at most once a second beyond
/// (a scan of every item). Items beyond the depth are reached by the pipeline's final catalog scan. Thread-safe:
/// readers get an immutable array; one thread recomputes while the others keep the previous one.
/// </summary>
internal sealed class NonPersonalLists
{
    /// <summary>Catalogs up to this size are re-ranked on the first read after any change.</summary>
    public const int EagerItems = 1024;

    private static readonly TimeSpan s_refresh = TimeSpan.FromSeconds(1);

    private readonly LiveInteractions _live;
    private readonly ItemCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly int _depth;
    private readonly Lock _refreshLock = new();
    private readonly List[] _lists = new List[3];
    private long _writes;

    public NonPersonalLists(LiveInteractions live, ItemCatalog catalog, TimeProvider time, int depth)
    {
        _live = live;
        _catalog = catalog;
        _time = time;
        _depth = depth;
        for (var i = 0; i < _lists.Length; i++)
        {
            _lists[i] = new List([], -1, DateTimeOffset.MinValue);
        }
    }

    /// <summary>Call after every feedback write.</summary>
    public void MarkChanged() => Interlocked.Increment(ref _writes);

    public ScoredItem[] Popular => Get(0);

    public ScoredItem[] Trending => Get(1);

    /// <summary>Newest first; the score is the item timestamp in seconds since the Unix epoch.</summary>
    public ScoredItem[] Latest => Get(2);

    private ScoredItem[] Get(int kind)
    {
        var list = Volatile.Read(ref _lists[kind]);
        var stamp = kind == 2 ? _catalog.Generation : Volatile.Read(ref _writes);
        if (list.Stamp == stamp)
        {
            return list.Items;
        }
        var now = _time.GetUtcNow();
        if (list.Stamp >= 0 && _live.ItemCount > EagerItems && now - list.At < s_refresh)
        {
            return list.Items;
        }
        if (!_refreshLock.TryEnter())
        {
            return list.Items;
        }
        try
        {
            var items = new ScoredItem[Math.Min(_depth, Math.Max(_live.ItemCount, 1))];
            var count = kind switch
            {
                0 => _live.Popular(items),
                1 => _live.Trending(now, items),
                _ => SelectLatest(items),
            };
            list = new List(items[..count], stamp, now);
            Volatile.Write(ref _lists[kind], list);
            return list.Items;
        }
        finally
        {
            _refreshLock.Exit();
        }
    }

    private int SelectLatest(Span<ScoredItem> destination)
    {
        var count = Math.Min(_live.ItemCount, _catalog.Capacity);
        var keys = new (long NegativeTicks, int Item)[count];
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            var ticks = _catalog.TimestampTicks(i);
            if (ticks > 0 && _catalog.Exists(i))
            {
                keys[n++] = (-ticks, i);
            }
        }
        Array.Sort(keys, 0, n);
        n = Math.Min(n, destination.Length);
        for (var i = 0; i < n; i++)
        {
            var seconds = (-keys[i].NegativeTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
            destination[i] = new ScoredItem(keys[i].Item, (float)seconds);
        }
        return n;
    }

    private sealed record List(ScoredItem[] Items, long Stamp, DateTimeOffset At);
}
