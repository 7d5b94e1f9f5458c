using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Fresco.Engine.Realtime;

/// <summary>Id registration, key lookups and per-user rebuilds (the writes a store-backed engine needs beyond <see cref="Apply(string, string, string, float, DateTimeOffset)"/>).</summary>
public sealed partial class LiveInteractions
{
    /// <summary>Event types that get a bit in a pair's type mask; later types get none (<see cref="ApplyIfNew"/> answers <see cref="LiveApplyOutcome.Untracked"/>).</summary>
    public const int MaxTrackedTypes = 64;

    private static readonly long s_activityEpoch = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    private readonly ConcurrentDictionary<string, int> _typeIds = new(StringComparer.Ordinal);
    private readonly Lock _typeLock = new();
    private readonly HashSet<ulong> _releasedIds = [];
    private long _version;
    private long _slotsReused;
    private long _itemSlotsReused;
    private long _itemsReleased;
    private long _lastItemReuse;
    private HashSet<int> _deadItems = [];

    /// <summary>
    /// The number of snapshots published so far. Read it before <see cref="ToMatrix"/>: a user whose
    /// <see cref="UserSnapshot.Version"/> is not above it is in the matrix exactly as in their snapshot.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The user's index, registering the user (with an empty history) when new.</summary>
    public int EnsureUser(string userId) => _users.GetOrAdd(userId);

    /// <summary>Registers the user as existing (inserted, or written by another node); returns their index.</summary>
    internal int RegisterUser(string userId)
    {
        var user = Enter(userId);
        user.Exists = true;
        Exit(user);
        return user.UserIndex;
    }

    /// <summary>
    /// Forgets a deleted user's history (item popularity moved along) and marks them not existing; their slot is released
    /// by the next <see cref="ReleaseDead"/>. Returns the events their snapshot held, or -1 when the state does not know them.
    /// </summary>
    internal int DeleteUser(string userId)
    {
        if (!_users.TryGetState(userId, out var index, out var user))
        {
            return -1;
        }
        lock (_stripes[index & (Stripes - 1)])
        {
            if (user.Released)
            {
                return -1; // released since: nothing of theirs is left
            }
            var count = user.Snapshot.Count;
            ReplaceLocked(user, [], []);
            user.Exists = false;
            user.Publish(Interlocked.Increment(ref _version));
            return count;
        }
    }

    /// <summary>The user's index and snapshot (one owner's both), for an existing user only. Never locks.</summary>
    internal bool TryGetUser(string userId, out int userIndex, out UserSnapshot snapshot)
    {
        if (_users.TryGetState(userId, out userIndex, out var user) && user.Exists)
        {
            snapshot = user.Snapshot;
            return true;
        }
        snapshot = UserSnapshot.Empty;
        return false;
    }

    /// <summary>True when the user at <paramref name="userIndex"/> exists (false for a released slot).</summary>
    internal bool UserExists(int userIndex) => (uint)userIndex < (uint)_users.Count && _users.StateAt(userIndex).Exists;

    /// <summary>The user's state, registered when new, with their stripe lock held (release it with <see cref="Exit"/>); never a released state.</summary>
    private UserState Enter(string userId)
    {
        while (true)
        {
            var user = _users.GetOrAddState(userId);
            _stripes[user.UserIndex & (Stripes - 1)].Enter();
            if (!user.Released)
            {
                return user;
            }
            _stripes[user.UserIndex & (Stripes - 1)].Exit(); // released since it was read: the id maps to a new slot now
        }
    }

    private void Exit(UserState user) => _stripes[user.UserIndex & (Stripes - 1)].Exit();

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
        var itemIndex = _items.GetOrAdd(e.ItemId);
        var counters = _items.StateAt(itemIndex);
        var bit = TypeBit(e.EventType);
        var weight = _options.Weights.WeightOf(e.EventType, e.Value);
        var outcome = LiveApplyOutcome.Recorded;
        var user = Enter(e.UserId);
        userIndex = user.UserIndex;
        try
        {
            user.Exists = true; // committed feedback makes its user exist
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
        finally
        {
            Exit(user);
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
            if (!user.Snapshot.Evicted && !user.Released)
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
        var itemIndices = ItemIndices(events);
        var user = Enter(userId);
        try
        {
            ReplaceLocked(user, events, itemIndices);
            user.Exists |= events.Length > 0; // stored feedback makes its user exist (a deleted user's rows are gone)
            user.Publish(Interlocked.Increment(ref _version));
        }
        finally
        {
            Exit(user);
        }
        Touch(user);
    }

    /// <summary>
    /// Puts an evicted user's history back from <paramref name="events"/> (their complete stored feedback) under the
    /// version it had (their data did not change, so a model row trained on it stays current). False, doing nothing,
    /// when the user is in memory (a write reloaded them meanwhile: what it installed is as new or newer) or the slot no
    /// longer holds <paramref name="userId"/> (released since).
    /// </summary>
    public bool Restore(string userId, int userIndex, ReadOnlySpan<LiveEvent> events)
    {
        if (!_users.TryGetState(userId, out var index, out var user) || index != userIndex)
        {
            return false;
        }
        var itemIndices = ItemIndices(events);
        lock (_stripes[userIndex & (Stripes - 1)])
        {
            if (!user.Snapshot.Evicted || user.Released)
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
    /// After rows of the user left the store without the user acting (expired feedback): replaces the history by
    /// <paramref name="events"/> (their complete stored feedback) like <see cref="ReplaceUser"/>, but neither marks the
    /// user active nor brings an evicted user back into memory (only the items the counters count for them change).
    /// Nothing happens for a user the state does not know.
    /// </summary>
    public void Reload(string userId, ReadOnlySpan<LiveEvent> events)
    {
        if (!_users.TryGetState(userId, out var index, out var user))
        {
            return;
        }
        var itemIndices = ItemIndices(events);
        lock (_stripes[index & (Stripes - 1)])
        {
            if (user.Released)
            {
                return; // released since: it held no rows then, and a write since registers the user anew
            }
            if (!user.Snapshot.Evicted)
            {
                ReplaceLocked(user, events, itemIndices);
                user.Publish(Interlocked.Increment(ref _version));
                return;
            }
            var counted = Detached(index, events, itemIndices, 0).Items.ToArray();
            foreach (var item in user.Counted.Except(counted))
            {
                _items.StateAt(item).AddUser(index, add: false);
            }
            foreach (var item in counted.Except(user.Counted))
            {
                _items.StateAt(item).AddUser(index, add: true);
            }
            user.Recount(counted, Interlocked.Increment(ref _version));
        }
    }

    /// <summary>
    /// The snapshot <paramref name="events"/> (a user's complete stored feedback) make, built apart from the live state
    /// (no counter changes), under the user's current version: how training reads an evicted user.
    /// </summary>
    public UserSnapshot Replay(int userIndex, ReadOnlySpan<LiveEvent> events) =>
        Detached(userIndex, events, ItemIndices(events), _users.StateAt(userIndex).Snapshot.Version);

    /// <summary>The snapshot <paramref name="events"/> make as <paramref name="version"/>, built in a state of its own (no counter changes).</summary>
    private UserSnapshot Detached(int userIndex, ReadOnlySpan<LiveEvent> events, int[] itemIndices, long version)
    {
        var detached = new UserState(userIndex);
        for (var i = 0; i < events.Length; i++)
        {
            ref readonly var e = ref events[i];
            AddLocked(detached, itemIndices[i], null, e.EventType, _options.Weights.WeightOf(e.EventType, e.Value), e.Timestamp.UtcTicks);
        }
        detached.Publish(version);
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
            if (user.LastActive >= cutoff || user.Snapshot.Evicted || user.Released)
            {
                continue;
            }
            lock (_stripes[u & (Stripes - 1)])
            {
                if (user.LastActive < cutoff && !user.Snapshot.Evicted && !user.Released)
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
                users.Add(u); // a released slot's placeholder is never evicted
            }
        }
        return users;
    }

    /// <summary>
    /// Indices of the evicted users no item counts (no positive pair of theirs is left in the counters): the only evicted
    /// users <see cref="ReleaseDead"/> may release, so the only ones a release pass must read from the store. Read
    /// without the stripe locks: <see cref="ReleaseDead"/> checks each again under its lock.
    /// </summary>
    internal List<int> EvictedUncounted()
    {
        var users = new List<int>();
        for (var u = 0; u < _users.Count; u++)
        {
            var user = _users.StateAt(u);
            if (user.Snapshot.Evicted && user.Counted.Length == 0)
            {
                users.Add(u);
            }
        }
        return users;
    }

    /// <summary>
    /// Releases the index slots of dead users, for new users to take (a slot is reused, never moved): deleted users (not
    /// existing, no pairs), and evicted users with no item counted for them whose stored history,
    /// <paramref name="stored"/> (<see cref="Replay"/>s read while evictions were paused), is empty and who have not
    /// changed since it was read. Each is checked and released under their stripe lock, so a write or reload of the user
    /// either came first (and they are not released) or finds them released and registers them in a new slot. A released
    /// user who still exists (an evicted user whose feedback expired) is remembered by a 64-bit hash of their id
    /// (<see cref="WasReleased"/>), about 20 bytes instead of their slot. Returns how many were released.
    /// </summary>
    internal int ReleaseDead(IReadOnlyDictionary<int, UserSnapshot> stored)
    {
        var released = 0;
        for (var u = 0; u < _users.Count; u++)
        {
            var user = _users.StateAt(u);
            var snapshot = user.Snapshot;
            var dead = !user.Released && (snapshot.Evicted
                ? stored.TryGetValue(u, out var history) && history.Count == 0 && history.Rejected.Length == 0 && history.Version == snapshot.Version
                : !user.Exists && snapshot.Count == 0 && snapshot.Rejected.Length == 0);
            if (!dead)
            {
                continue;
            }
            lock (_stripes[u & (Stripes - 1)])
            {
                if (user.Released || user.Counted.Length != 0 || user.Pairs.Count != 0 || !ReferenceEquals(user.Snapshot, snapshot))
                {
                    continue;
                }
                var userId = _users.GetId(u);
                if (!_users.Release(u, user, new UserState(u) { Released = true }))
                {
                    continue;
                }
                user.Released = true;
                if (user.Exists)
                {
                    lock (_releasedIds)
                    {
                        _releasedIds.Add(IdHash(userId));
                    }
                }
                released++;
            }
        }
        return released;
    }

    /// <summary>
    /// Releases the index slots of deleted items nothing refers to any more, for new items to take (a slot is reused,
    /// never moved): deleted from the catalog (<paramref name="deleted"/>) at this call and at the one before (so that an
    /// event that resolved the item's index just before its delete was applied long ago), counted by no user and in no
    /// user's history (<paramref name="stored"/>: the evicted users' stored ones). A model trained before keeps the old
    /// item's column: a view built before a slot was given to a new item never scores that slot
    /// (<see cref="ItemSince"/>); a training snapshot names released slots "" (free columns). Call from one release pass
    /// at a time (a training snapshot's or an eviction sweep's: "the call before" is the last of either). Returns the
    /// slots released.
    /// </summary>
    internal List<int> ReleaseDeadItems(Func<int, bool> deleted, IReadOnlyDictionary<int, UserSnapshot> stored)
    {
        var items = _items.Count;
        var released = new List<int>();
        if (!AnyDeleted(deleted, items))
        {
            _deadItems = []; // nothing deleted: no user's history needs scanning
            return released;
        }
        var referenced = new bool[items];
        for (var u = 0; u < _users.Count; u++)
        {
            foreach (var item in SnapshotOf(u, stored).Items)
            {
                if (item < items)
                {
                    referenced[item] = true;
                }
            }
        }
        var candidates = new HashSet<int>();
        for (var j = 0; j < items; j++)
        {
            var counters = _items.StateAt(j);
            if (_items.GetId(j).Length == 0 || referenced[j] || counters.Users != 0 || !deleted(j))
            {
                continue;
            }
            if (!_deadItems.Contains(j))
            {
                candidates.Add(j); // dead since this call: released at the next one if still dead
            }
            else if (_items.Release(j, counters, new ItemCounters()))
            {
                released.Add(j);
            }
        }
        _deadItems = candidates;
        Interlocked.Add(ref _itemsReleased, released.Count);
        return released;
    }

    private bool AnyDeleted(Func<int, bool> deleted, int items)
    {
        for (var j = 0; j < items; j++)
        {
            if (deleted(j) && _items.GetId(j).Length != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The <see cref="Version"/> at which the item's slot was given to it when that was a released slot (0 for a slot it
    /// got new): a model view whose ids were read at an earlier version must not score the slot as its old item.
    /// </summary>
    internal long ItemSince(int itemIndex) => _items.StateAt(itemIndex).Since;

    /// <summary>The <see cref="Version"/> at which a released item slot was last given to a new item (0: never); <see cref="ItemSince"/> of every slot is at most this.</summary>
    internal long LastItemReuse => Volatile.Read(ref _lastItemReuse);

    /// <summary>Appends a released item slot (start-up: a free column of the serving model, so its indices stay a prefix); returns its index.</summary>
    internal int ReserveItem() => _items.AddReleased(_ => new ItemCounters());

    /// <summary>Released item slots no new item has taken yet.</summary>
    public int FreeItemSlots => _items.FreeCount;

    /// <summary>Item slots released so far (<see cref="ReleaseDeadItems"/>).</summary>
    public long ItemsReleased => Interlocked.Read(ref _itemsReleased);

    /// <summary>Released item slots given to new items so far.</summary>
    public long ItemSlotsReused => Interlocked.Read(ref _itemSlotsReused);

    /// <summary>A new item's counters (under the id map's add lock, before the slot is published); a slot below the count is a released one, reused.</summary>
    private ItemCounters NewItem(int index, string itemId)
    {
        if (index >= _items.Count)
        {
            return new ItemCounters();
        }
        Interlocked.Increment(ref _itemSlotsReused);
        var since = Interlocked.Increment(ref _version);
        Volatile.Write(ref _lastItemReuse, since);
        return new ItemCounters(since);
    }

    /// <summary>
    /// True when <paramref name="userId"/>, unknown to the state now, may be an existing user whose slot was released
    /// (<see cref="ReleaseDead"/>): the caller asks the store and registers them again (<see cref="RegisterUser"/>).
    /// </summary>
    internal bool WasReleased(string userId)
    {
        lock (_releasedIds)
        {
            return _releasedIds.Count > 0 && _releasedIds.Contains(IdHash(userId));
        }
    }

    /// <summary>Forgets that <paramref name="userId"/> was released (the store no longer holds them).</summary>
    internal void ForgetReleased(string userId)
    {
        lock (_releasedIds)
        {
            _releasedIds.Remove(IdHash(userId));
        }
    }

    /// <summary>Appends a released user slot (start-up: a free row of the serving model, so its indices stay a prefix); returns its index.</summary>
    internal int ReserveUser() => _users.AddReleased(index => new UserState(index) { Released = true });

    /// <summary>Released user slots no new user has taken yet.</summary>
    public int FreeUserSlots => _users.FreeCount;

    /// <summary>Released user slots given to new users so far.</summary>
    public long UserSlotsReused => Interlocked.Read(ref _slotsReused);

    /// <summary>A new user's state (under the id map's add lock); a slot below the count is a released one, reused.</summary>
    private UserState NewUser(int index, string userId)
    {
        if (index < _users.Count)
        {
            Interlocked.Increment(ref _slotsReused);
        }
        lock (_releasedIds)
        {
            if (_releasedIds.Count > 0)
            {
                _releasedIds.Remove(IdHash(userId));
            }
        }
        return new UserState(index, Interlocked.Increment(ref _version));
    }

    private static ulong IdHash(string id) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan()));

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
