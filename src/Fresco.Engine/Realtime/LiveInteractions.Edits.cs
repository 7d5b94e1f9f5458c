using System.Collections.Concurrent;

namespace Fresco.Engine.Realtime;

/// <summary>Id registration, key lookups and per-user rebuilds (the writes a store-backed engine needs beyond <see cref="Apply(string, string, string, float, DateTimeOffset)"/>).</summary>
public sealed partial class LiveInteractions
{
    /// <summary>Event types that get a bit in a pair's type mask; later types get none (<see cref="ApplyIfNew"/> answers <see cref="LiveApplyOutcome.Untracked"/>).</summary>
    public const int MaxTrackedTypes = 64;

    private static readonly long s_activityEpoch = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

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
        var outcome = LiveApplyOutcome.Recorded;
        lock (_stripes[user.UserIndex & (Stripes - 1)])
        {
            if (user.Snapshot.Evicted)
            {
                // The caller reloads the user's pairs from the store; trending is counted here, once, as for any new event.
                outcome = LiveApplyOutcome.Evicted;
            }
            else if (onlyNew && bit == 0)
            {
                return LiveApplyOutcome.Untracked;
            }
            else if (onlyNew && user.Pairs.TryGetValue(itemIndex, out var pair) && (pair.Types & bit) != 0)
            {
                return LiveApplyOutcome.Exists;
            }
            else
            {
                AddLocked(user, itemIndex, counters, e.EventType, weight, e.Timestamp.UtcTicks);
            }
        }
        Touch(user);
        if (weight > 0)
        {
            counters.AddTrending(weight, e.Timestamp.UtcTicks, _halfLifeTicks);
        }
        return outcome;
    }

    /// <summary>Publishes the user's snapshot after <see cref="ApplyIfNew"/> calls (an evicted user's stays evicted).</summary>
    public void Publish(int userIndex)
    {
        var user = _users.StateAt(userIndex);
        lock (_stripes[userIndex & (Stripes - 1)])
        {
            if (!user.Snapshot.Evicted)
            {
                user.Publish(Interlocked.Increment(ref _version));
            }
        }
    }

    /// <summary>
    /// Replaces the user's history by <paramref name="events"/> (the user's complete stored feedback), keeping item
    /// popularity consistent, and publishes it as a new version (an evicted user is back in memory). Trending counters
    /// are not touched: they already counted these events once.
    /// </summary>
    public void ReplaceUser(string userId, ReadOnlySpan<LiveEvent> events)
    {
        var user = _users.StateAt(_users.GetOrAdd(userId));
        var itemIndices = ItemIndices(events);
        lock (_stripes[user.UserIndex & (Stripes - 1)])
        {
            ReplaceLocked(user, events, itemIndices);
            user.Publish(Interlocked.Increment(ref _version));
        }
        Touch(user);
    }

    /// <summary>
    /// Puts an evicted user's history back from <paramref name="events"/> (their complete stored feedback) under the
    /// version it had (their data did not change, so a model row trained on it stays current). False, doing nothing,
    /// when the user is in memory (a write reloaded them meanwhile: what it installed is as new or newer).
    /// </summary>
    public bool Restore(int userIndex, ReadOnlySpan<LiveEvent> events)
    {
        var user = _users.StateAt(userIndex);
        var itemIndices = ItemIndices(events);
        lock (_stripes[userIndex & (Stripes - 1)])
        {
            if (!user.Snapshot.Evicted)
            {
                return false;
            }
            var version = user.Snapshot.Version;
            ReplaceLocked(user, events, itemIndices);
            user.Publish(version);
        }
        Touch(user);
        return true;
    }

    /// <summary>
    /// The snapshot <paramref name="events"/> (a user's complete stored feedback) make, built apart from the live state
    /// (no counter changes), under the user's current version: how training reads an evicted user.
    /// </summary>
    public UserSnapshot Replay(int userIndex, ReadOnlySpan<LiveEvent> events)
    {
        var detached = new UserState(userIndex);
        var itemIndices = ItemIndices(events);
        for (var i = 0; i < events.Length; i++)
        {
            ref readonly var e = ref events[i];
            AddLocked(detached, itemIndices[i], null, e.EventType, _options.Weights.WeightOf(e.EventType, e.Value), e.Timestamp.UtcTicks);
        }
        detached.Publish(_users.StateAt(userIndex).Snapshot.Version);
        return detached.Snapshot;
    }

    /// <summary>
    /// Evicts the users inactive for <see cref="LiveOptions.UserTtl"/> (none without it): their pairs, consumed items
    /// and snapshot arrays leave memory (4 bytes per positive pair stay: the items the counters count); their index,
    /// snapshot version and item counters (popularity, co-occurrence, trending) stay. Returns the users evicted. Safe to
    /// run concurrently with writes and reads: each user is evicted under their stripe lock, and a write that finds its
    /// user evicted answers <see cref="LiveApplyOutcome.Evicted"/>.
    /// </summary>
    public List<int> EvictInactive()
    {
        var evicted = new List<int>();
        if (_options.UserTtl is not { } ttl)
        {
            return evicted;
        }
        var cutoff = NowSecond() - (long)Math.Ceiling(ttl.TotalSeconds);
        for (var u = 0; u < _users.Count; u++)
        {
            var user = _users.StateAt(u);
            if (user.LastActive >= cutoff || user.Snapshot.Evicted)
            {
                continue;
            }
            lock (_stripes[u & (Stripes - 1)])
            {
                if (user.LastActive < cutoff && !user.Snapshot.Evicted)
                {
                    user.Evict();
                    evicted.Add(u);
                }
            }
        }
        return evicted;
    }

    /// <summary>Indices of the users whose history is out of memory.</summary>
    public List<int> EvictedUsers()
    {
        var users = new List<int>();
        for (var u = 0; u < _users.Count; u++)
        {
            if (_users.StateAt(u).Snapshot.Evicted)
            {
                users.Add(u);
            }
        }
        return users;
    }

    /// <summary>Marks the user active now (a request): with <see cref="LiveOptions.UserTtl"/>, it keeps them in memory.</summary>
    public void Touch(int userIndex)
    {
        if (_options.UserTtl is not null)
        {
            _users.StateAt(userIndex).LastActive = NowSecond();
        }
    }

    private void Touch(UserState user)
    {
        if (_options.UserTtl is not null)
        {
            user.LastActive = NowSecond();
        }
    }

    /// <summary>Seconds since 2020-01-01 UTC by the engine's clock (<see cref="UserState.LastActive"/>'s unit).</summary>
    private int NowSecond() => (int)((_time.GetUtcNow().UtcTicks - s_activityEpoch) / TimeSpan.TicksPerSecond);

    private int[] ItemIndices(ReadOnlySpan<LiveEvent> events)
    {
        var itemIndices = new int[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            itemIndices[i] = _items.GetOrAdd(events[i].ItemId);
        }
        return itemIndices;
    }

    /// <summary>Replaces the user's pairs by <paramref name="events"/>, moving item popularity along; call under the stripe lock.</summary>
    private void ReplaceLocked(UserState user, ReadOnlySpan<LiveEvent> events, int[] itemIndices)
    {
        for (var i = 0; i < user.Pairs.Count; i++)
        {
            CountUser(_items.StateAt(user.Pairs.ItemAt(i)), user.UserIndex, user.Pairs.PairAt(i).Weight, 0);
        }
        foreach (var item in user.Counted)
        {
            _items.StateAt(item).AddUser(user.UserIndex, add: false);
        }
        user.Clear();
        for (var i = 0; i < events.Length; i++)
        {
            ref readonly var e = ref events[i];
            AddLocked(user, itemIndices[i], _items.StateAt(itemIndices[i]), e.EventType,
                _options.Weights.WeightOf(e.EventType, e.Value), e.Timestamp.UtcTicks);
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
