using System.Collections.Concurrent;

namespace Fresco.Engine.Realtime;

/// <summary>Id registration, key lookups and per-user rebuilds (the writes a store-backed engine needs beyond <see cref="Apply(string, string, string, float, DateTimeOffset)"/>).</summary>
public sealed partial class LiveInteractions
{
    /// <summary>Event types that get a bit in a pair's type mask; later types get none (<see cref="ApplyIfNew"/> answers <see cref="LiveApplyOutcome.Untracked"/>).</summary>
    public const int MaxTrackedTypes = 64;

    private readonly ConcurrentDictionary<string, int> _typeIds = new(StringComparer.Ordinal);
    private readonly Lock _typeLock = new();
    private long _version;

    /// <summary>
    /// The number of snapshots published so far. Read it before <see cref="ToMatrix"/>: a user whose
    /// <see cref="UserSnapshot.Version"/> is not above it is in the matrix exactly as in their snapshot.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The user's index, registering the user (with an empty history) when new.</summary>
    public int EnsureUser(string userId) => _users.GetOrAdd(userId);

    /// <summary>The item's index, registering the item (with zero counters) when new.</summary>
    public int EnsureItem(string itemId) => _items.GetOrAdd(itemId);

    /// <summary>The mask bit of an event type (types are numbered as first seen), or 0 beyond <see cref="MaxTrackedTypes"/>.</summary>
    public ulong TypeBit(string eventType)
    {
        if (!_typeIds.TryGetValue(eventType, out var id))
        {
            lock (_typeLock)
            {
                if (!_typeIds.TryGetValue(eventType, out id))
                {
                    id = _typeIds.Count < MaxTrackedTypes ? _typeIds.Count : -1;
                    if (id >= 0)
                    {
                        _typeIds[eventType] = id;
                    }
                }
            }
        }
        return id >= 0 ? 1UL << id : 0;
    }

    /// <summary>
    /// Records one event like <see cref="Apply(string, string, string, float, DateTimeOffset)"/>, but only when the pair
    /// has no event of that type yet, and without publishing the user's snapshot (call <see cref="Publish"/> once the
    /// batch is done). <paramref name="userIndex"/> is the user's index whatever the outcome.
    /// </summary>
    public LiveApplyOutcome ApplyIfNew(in LiveEvent e, out int userIndex) => Record(e, onlyNew: true, out userIndex);

    /// <summary>Records one event whatever the pair held, without publishing the user's snapshot; returns the user's index.</summary>
    public int ApplyUnpublished(in LiveEvent e)
    {
        Record(e, onlyNew: false, out var userIndex);
        return userIndex;
    }

    private LiveApplyOutcome Record(in LiveEvent e, bool onlyNew, out int userIndex)
    {
        ArgumentException.ThrowIfNullOrEmpty(e.EventType);
        var user = _users.StateAt(_users.GetOrAdd(e.UserId));
        userIndex = user.UserIndex;
        var itemIndex = _items.GetOrAdd(e.ItemId);
        var counters = _items.StateAt(itemIndex);
        var bit = TypeBit(e.EventType);
        var weight = _options.Weights.WeightOf(e.EventType, e.Value);
        lock (_stripes[user.UserIndex & (Stripes - 1)])
        {
            if (onlyNew && bit == 0)
            {
                return LiveApplyOutcome.Untracked;
            }
            if (onlyNew && user.Pairs.TryGetValue(itemIndex, out var pair) && (pair.Types & bit) != 0)
            {
                return LiveApplyOutcome.Exists;
            }
            AddLocked(user, itemIndex, counters, e.EventType, weight, e.Timestamp.UtcTicks);
        }
        if (weight > 0)
        {
            counters.AddTrending(weight, e.Timestamp.UtcTicks, _halfLifeTicks);
        }
        return LiveApplyOutcome.Recorded;
    }

    /// <summary>Publishes the user's snapshot after <see cref="ApplyIfNew"/> calls.</summary>
    public void Publish(int userIndex)
    {
        var user = _users.StateAt(userIndex);
        lock (_stripes[userIndex & (Stripes - 1)])
        {
            user.Publish(Interlocked.Increment(ref _version));
        }
    }

    /// <summary>
    /// Replaces the user's history by <paramref name="events"/> (the user's complete stored feedback), keeping item
    /// popularity consistent. Trending counters are not touched: they already counted these events once.
    /// </summary>
    public void ReplaceUser(string userId, ReadOnlySpan<LiveEvent> events)
    {
        var user = _users.StateAt(_users.GetOrAdd(userId));
        Span<int> itemIndices = events.Length <= 256 ? stackalloc int[events.Length] : new int[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            itemIndices[i] = _items.GetOrAdd(events[i].ItemId);
        }
        lock (_stripes[user.UserIndex & (Stripes - 1)])
        {
            for (var i = 0; i < user.Pairs.Count; i++)
            {
                CountUser(_items.StateAt(user.Pairs.ItemAt(i)), user.UserIndex, user.Pairs.PairAt(i).Weight, 0);
            }
            user.Clear();
            for (var i = 0; i < events.Length; i++)
            {
                ref readonly var e = ref events[i];
                AddLocked(user, itemIndices[i], _items.StateAt(itemIndices[i]), e.EventType,
                    _options.Weights.WeightOf(e.EventType, e.Value), e.Timestamp.UtcTicks);
            }
            user.Publish(Interlocked.Increment(ref _version));
        }
    }

    /// <summary>
    /// Copies the users whose summed weight for the item is positive into <paramref name="buffer"/> (replaced by a
    /// larger array when short, so keep it for the next call); returns how many. Unordered.
    /// </summary>
    public int UsersOf(int itemIndex, ref int[] buffer) => _items.StateAt(itemIndex).CopyUsers(ref buffer);

    /// <summary>Users whose summed weight for the item is positive. Never locks.</summary>
    public int PopularityOf(int itemIndex) => _items.StateAt(itemIndex).Users;
}
