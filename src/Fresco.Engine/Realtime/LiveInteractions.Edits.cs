using System.Collections.Concurrent;

namespace Fresco.Engine.Realtime;

/// <summary>Id registration, key lookups and per-user rebuilds (the writes a store-backed engine needs beyond <see cref="Apply(string, string, string, float, DateTimeOffset)"/>).</summary>
public sealed partial class LiveInteractions
{
    /// <summary>Event types that get a bit in a pair's type mask; later types get none (<see cref="HasKey"/> answers null).</summary>
    public const int MaxTrackedTypes = 64;

    private readonly ConcurrentDictionary<string, int> _typeIds = new(StringComparer.Ordinal);
    private readonly Lock _typeLock = new();

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
    /// Whether an event of <paramref name="eventType"/> between the user and the item was recorded (and not forgotten
    /// by the history cap); null when the type has no mask bit, so the answer is unknown. Takes the user's stripe lock.
    /// </summary>
    public bool? HasKey(string userId, string itemId, string eventType)
    {
        var bit = TypeBit(eventType);
        if (bit == 0)
        {
            return null;
        }
        if (!_users.TryGetIndex(userId, out var user) || !_items.TryGetIndex(itemId, out var item))
        {
            return false;
        }
        return PairHasType(user, item, bit);
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
            foreach (var (item, pair) in user.Pairs)
            {
                CountUser(_items.StateAt(item), user.UserIndex, pair.Weight, 0);
            }
            user.Clear();
            for (var i = 0; i < events.Length; i++)
            {
                ref readonly var e = ref events[i];
                AddLocked(user, itemIndices[i], _items.StateAt(itemIndices[i]), e.EventType,
                    _options.Weights.WeightOf(e.EventType, e.Value), e.Timestamp.UtcTicks);
            }
            user.Publish();
        }
    }

    /// <summary>
    /// Copies the users whose summed weight for the item is positive into <paramref name="buffer"/> (replaced by a
    /// larger array when short, so keep it for the next call); returns how many. Unordered.
    /// </summary>
    public int UsersOf(int itemIndex, ref int[] buffer) => _items.StateAt(itemIndex).CopyUsers(ref buffer);

    /// <summary>Users whose summed weight for the item is positive. Never locks.</summary>
    public int PopularityOf(int itemIndex) => _items.StateAt(itemIndex).Users;

    private bool PairHasType(int userIndex, int itemIndex, ulong bit)
    {
        var user = _users.StateAt(userIndex);
        lock (_stripes[userIndex & (Stripes - 1)])
        {
            return user.Pairs.TryGetValue(itemIndex, out var pair) && (pair.Types & bit) != 0;
        }
    }
}
