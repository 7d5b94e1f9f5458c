namespace Fresco.Engine.Realtime;

/// <summary>
/// One user's mutable history, for one owner of the index slot (a slot given to another user gets a new state).
/// Writers (and eviction, and release) hold the user's stripe lock; readers only read <see cref="Snapshot"/>, which is
/// replaced (never changed) after each write, <see cref="LastActive"/>, <see cref="Exists"/> and <see cref="Released"/>
/// (volatile).
/// </summary>
internal sealed class UserState(int userIndex, long version = 0)
{
    private UserSnapshot _snapshot = new(userIndex, [], [], []) { Version = version };
    private int _lastActive;
    private volatile bool _exists;
    private volatile bool _released;

    public int UserIndex { get; } = userIndex;

    /// <summary>The user exists (inserted, or wrote feedback) and was not deleted since. Set under the stripe lock.</summary>
    public bool Exists
    {
        get => _exists;
        set => _exists = value;
    }

    /// <summary>
    /// The slot no longer belongs to this state (<see cref="LiveInteractions.ReleaseDead"/>), or this is a released
    /// slot's placeholder: a writer that finds it under the stripe lock looks the user up again. Set under the stripe lock.
    /// </summary>
    public bool Released
    {
        get => _released;
        set => _released = value;
    }

    /// <summary>Item -> summed weight (any sign) and last-interaction ticks. Guarded by the stripe lock.</summary>
    public PairMap Pairs { get; } = new();

    /// <summary>Guarded by the stripe lock.</summary>
    public HashSet<int> Consumed { get; private set; } = [];

    public UserSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>
    /// While evicted, the items the item counters still count for this user (the positive pairs at eviction), so a
    /// reload or delete can move them along; empty otherwise. Guarded by the stripe lock.
    /// </summary>
    public int[] Counted { get; private set; } = [];

    /// <summary>
    /// The second of the user's last event or request, counted from 2020-01-01 UTC (an int: 4 bytes per user; kept only
    /// with <see cref="LiveOptions.UserTtl"/>, which is at least a second).
    /// </summary>
    public int LastActive
    {
        get => Volatile.Read(ref _lastActive);
        set => Volatile.Write(ref _lastActive, value);
    }

    /// <summary>Rebuilds and publishes the snapshot as <paramref name="version"/>; call under the stripe lock.</summary>
    public void Publish(long version)
    {
        var count = 0;
        for (var i = 0; i < Pairs.Count; i++)
        {
            if (Pairs.PairAt(i).Weight > 0)
            {
                count++;
            }
        }
        var keys = new (long Ticks, int Item, int Slot)[count];
        var weights = new float[count];
        var types = new ulong[count];
        var rejected = count == Pairs.Count ? [] : new int[Pairs.Count - count];
        var n = 0;
        var r = 0;
        for (var i = 0; i < Pairs.Count; i++)
        {
            var pair = Pairs.PairAt(i);
            if (pair.Weight > 0)
            {
                keys[n++] = (pair.LastTicks, Pairs.ItemAt(i), i);
            }
            else
            {
                rejected[r++] = Pairs.ItemAt(i);
            }
        }
        Array.Sort(keys);
        var items = new int[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = keys[i].Item;
            var pair = Pairs.PairAt(keys[i].Slot);
            weights[i] = pair.Weight;
            types[i] = pair.Types;
        }
        var consumed = Consumed.ToArray();
        Array.Sort(consumed);
        Volatile.Write(ref _snapshot, new UserSnapshot(UserIndex, items, weights, consumed, types) { Version = version, Rejected = rejected });
    }

    /// <summary>
    /// Drops the pairs and consumed items (their arrays too) and publishes an <see cref="UserSnapshot.Evicted"/> snapshot
    /// under the same version; call under the stripe lock. Item counters are left as they are: they still count the user.
    /// </summary>
    public void Evict()
    {
        var old = Snapshot;
        Counted = old.Items.ToArray();
        Pairs.Clear();
        Consumed = [];
        Volatile.Write(ref _snapshot, new UserSnapshot(UserIndex, [], [], []) { Version = old.Version, Evicted = true });
    }

    /// <summary>
    /// For an evicted user whose stored history changed: the items the counters now count, and a new evicted snapshot
    /// as <paramref name="version"/> (a model row trained on the old history is no longer current). Call under the
    /// stripe lock; the caller moves the item counters.
    /// </summary>
    public void Recount(int[] counted, long version)
    {
        Counted = counted;
        Volatile.Write(ref _snapshot, new UserSnapshot(UserIndex, [], [], []) { Version = version, Evicted = true });
    }

    /// <summary>The pair touched least recently (oldest ticks, then lowest item), or -1 when empty.</summary>
    public int Oldest()
    {
        var oldest = -1;
        var oldestTicks = long.MaxValue;
        for (var i = 0; i < Pairs.Count; i++)
        {
            // Items ascend, so the first of equal ticks is the lowest item.
            if (Pairs.PairAt(i).LastTicks < oldestTicks)
            {
                oldest = Pairs.ItemAt(i);
                oldestTicks = Pairs.PairAt(i).LastTicks;
            }
        }
        return oldest;
    }

    /// <summary>A pair's summed weight, last-interaction ticks, and the event types seen (one bit per type id, see <see cref="LiveInteractions.TypeBit"/>).</summary>
    public readonly record struct Pair(float Weight, long LastTicks, ulong Types = 0);

    /// <summary>Forgets every pair and consumed item; call under the stripe lock (the caller fixes item counters first).</summary>
    public void Clear()
    {
        Pairs.Clear();
        Consumed.Clear();
        Counted = [];
    }
}
