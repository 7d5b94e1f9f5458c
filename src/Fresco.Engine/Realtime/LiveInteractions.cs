using System.Buffers;
using Fresco.Core.Data;
using Fresco.Core.Ranking;

namespace Fresco.Engine.Realtime;

/// <summary>
/// The in-memory interaction state a real-time server answers from: per-user histories (summed weights,
/// ordered by last interaction), consumed items, and per-item popularity and trending counters.
/// Thread-safe: writes to a user take one of 64 striped locks; reads never lock on users (they read an
/// immutable <see cref="UserSnapshot"/> swapped in after each write) and take only a short per-item lock for
/// trending scores. With <see cref="LiveOptions.UserTtl"/>, inactive users' histories leave memory
/// (<see cref="EvictInactive"/>) and are put back from their stored rows (<see cref="Restore"/>, or a write's reload).
/// </summary>
public sealed partial class LiveInteractions
{
    private const int Stripes = 64;

    private readonly LiveOptions _options;
    private readonly HashSet<string> _consumedTypes;
    private readonly double _halfLifeTicks;
    private readonly TimeProvider _time;
    private readonly Lock[] _stripes = new Lock[Stripes];
    private readonly ConcurrentIdMap<UserState> _users;
    private readonly ConcurrentIdMap<ItemCounters> _items;

    public LiveInteractions(LiveOptions? options = null, TimeProvider? time = null)
    {
        _options = (options ?? new LiveOptions()).Validate();
        _time = time ?? TimeProvider.System;
        _consumedTypes = new HashSet<string>(_options.ConsumedEventTypes, StringComparer.OrdinalIgnoreCase);
        _halfLifeTicks = TimeSpan.FromHours(_options.TrendingHalfLifeHours).Ticks;
        // A new state's snapshot is a new version (NewUser): a user given a released slot is never taken for its former
        // owner by a model row trained before (ModelRows compares versions).
        _users = new(NewUser);
        _items = new(NewItem);
        for (var i = 0; i < Stripes; i++)
        {
            _stripes[i] = new Lock();
        }
    }

    public LiveOptions Options => _options;

    public int UserCount => _users.Count;

    public int ItemCount => _items.Count;

    public bool TryGetUserIndex(string userId, out int index) => _users.TryGetIndex(userId, out index);

    public bool TryGetItemIndex(string itemId, out int index) => _items.TryGetIndex(itemId, out index);

    public string GetUserId(int index) => _users.GetId(index);

    public string GetItemId(int index) => _items.GetId(index);

    /// <summary>Records one event: the user's summed weight for the item, consumption, and item counters.</summary>
    public void Apply(string userId, string itemId, string eventType, float value, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        var itemIndex = _items.GetOrAdd(itemId);
        var counters = _items.StateAt(itemIndex);
        var weight = _options.Weights.WeightOf(eventType, value);
        var ticks = timestamp.UtcTicks;
        var user = Enter(userId);
        try
        {
            AddLocked(user, itemIndex, counters, eventType, weight, ticks);
            user.Exists = true;
            user.Publish(Interlocked.Increment(ref _version));
        }
        finally
        {
            Exit(user);
        }
        Touch(user);
        if (weight > 0)
        {
            counters.AddTrending(weight, ticks, _halfLifeTicks);
        }
    }

    /// <summary>Records events in order; each user's snapshot is published once, after all of the user's events.</summary>
    public void Apply(ReadOnlySpan<LiveEvent> events)
    {
        var users = new HashSet<int>();
        foreach (ref readonly var e in events)
        {
            users.Add(ApplyUnpublished(e));
        }
        foreach (var user in users)
        {
            Publish(user);
        }
    }

    /// <summary>The user's current state; <see cref="UserSnapshot.Empty"/> for an unknown user. Never locks.</summary>
    public UserSnapshot GetSnapshot(string userId) =>
        _users.TryGetState(userId, out _, out var user) ? user.Snapshot : UserSnapshot.Empty;

    public UserSnapshot GetSnapshot(int userIndex) => _users.StateAt(userIndex).Snapshot;

    /// <summary>Copies the user's items (oldest to newest) and weights; false for an unknown user or short spans.</summary>
    public bool TryGetHistory(string userId, Span<int> items, Span<float> weights, out int count)
    {
        var snapshot = GetSnapshot(userId);
        count = snapshot.Count;
        if (snapshot.UserIndex < 0 || items.Length < count || weights.Length < count)
        {
            return false;
        }
        snapshot.Items.CopyTo(items);
        snapshot.Weights.CopyTo(weights);
        return true;
    }

    /// <summary>Writes up to <c>destination.Length</c> of the user's items, newest first; returns how many.</summary>
    public int RecentItems(string userId, Span<int> destination)
    {
        var items = GetSnapshot(userId).Items;
        var n = Math.Min(destination.Length, items.Length);
        for (var i = 0; i < n; i++)
        {
            destination[i] = items[items.Length - 1 - i];
        }
        return n;
    }

    public bool IsConsumed(int userIndex, int itemIndex) =>
        (uint)userIndex < (uint)_users.Count && _users.StateAt(userIndex).Snapshot.IsConsumed(itemIndex);

    /// <summary>The items with the most users whose summed weight is positive, best first.</summary>
    public int Popular(Span<ScoredItem> destination) => Select(destination, static (c, _, _) => c.Users, 0);

    /// <summary>The items with the highest decayed weight sum at <paramref name="now"/>, best first.</summary>
    public int Trending(DateTimeOffset now, Span<ScoredItem> destination) =>
        Select(destination, static (c, ticks, halfLife) => (float)c.TrendingAt(ticks, halfLife), now.UtcTicks);

    /// <summary>
    /// The users x items matrix of positive summed weights, for (re)training: equal to
    /// <see cref="EventWeights.BuildMatrix"/> over the same events while no user exceeded the history cap. An evicted
    /// user's row comes from <paramref name="evicted"/> (their stored history, see <see cref="Replay"/>), else is empty.
    /// </summary>
    public CsrMatrix ToMatrix(IReadOnlyDictionary<int, UserSnapshot>? evicted = null)
    {
        var users = _users.Count;
        var items = _items.Count;
        var builder = new CsrBuilder(users, items);
        for (var u = 0; u < users; u++)
        {
            var snapshot = SnapshotOf(u, evicted);
            var row = snapshot.Items;
            var weights = snapshot.Weights;
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] < items)
                {
                    builder.Add(u, row[i], weights[i]);
                }
            }
        }
        return builder.Build(DuplicatePolicy.Sum, dropNonPositive: true);
    }

    /// <summary>Adds one event to the user's pairs; <paramref name="counters"/> null: a detached replay (<see cref="Replay"/>), no item counted.</summary>
    private void AddLocked(UserState user, int itemIndex, ItemCounters? counters, string eventType, float weight, long ticks)
    {
        user.Pairs.TryGetValue(itemIndex, out var old);
        var sum = old.Weight + weight;
        user.Pairs.Set(itemIndex, new UserState.Pair(sum, Math.Max(old.LastTicks, ticks), old.Types | TypeBit(eventType)));
        if (counters is not null)
        {
            CountUser(counters, user.UserIndex, old.Weight, sum);
        }
        if (_consumedTypes.Contains(eventType))
        {
            user.Consumed.Add(itemIndex);
        }
        while (user.Pairs.Count > _options.MaxHistoryPerUser)
        {
            var oldest = user.Oldest();
            user.Pairs.TryGetValue(oldest, out var evicted);
            if (counters is not null)
            {
                CountUser(_items.StateAt(oldest), user.UserIndex, evicted.Weight, 0);
            }
            user.Pairs.Remove(oldest);
            user.Consumed.Remove(oldest); // consumption is part of the forgotten pair: the set stays within the cap
        }
    }

    /// <summary>The user's snapshot, or for an evicted user the one <paramref name="evicted"/> holds when it does.</summary>
    public UserSnapshot SnapshotOf(int userIndex, IReadOnlyDictionary<int, UserSnapshot>? evicted)
    {
        var snapshot = _users.StateAt(userIndex).Snapshot;
        return snapshot.Evicted && evicted is not null && evicted.TryGetValue(userIndex, out var stored) ? stored : snapshot;
    }

    private static void CountUser(ItemCounters counters, int userIndex, float before, float after)
    {
        if (before > 0 != after > 0)
        {
            counters.AddUser(userIndex, after > 0);
        }
    }

    private int Select(Span<ScoredItem> destination, Func<ItemCounters, long, double, float> score, long ticks)
    {
        var count = _items.Count;
        var scores = ArrayPool<float>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var s = score(_items.StateAt(i), ticks, _halfLifeTicks);
                scores[i] = s > 0 ? s : float.NegativeInfinity;
            }
            return TopK.Select(scores.AsSpan(0, count), destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
