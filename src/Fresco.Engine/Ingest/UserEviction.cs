using Fresco.Engine.Impressions;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Keeps users inactive for <see cref="LiveOptions.UserTtl"/> out of memory, and gives back the id slots of dead users
/// and deleted items (docs/scaling.md, "Id compaction"). A sweep every quarter of the TTL (1 s to 1 min; every minute
/// without a TTL) evicts inactive users from the live state (<see cref="LiveInteractions.EvictInactive"/>), their cached
/// answers (<see cref="ResultCache"/>, which would hold their old snapshots) and what they were shown (<see cref="ShownIndex"/>:
/// a rotation starts over and last touch no longer credits their earlier answers), then releases dead slots
/// (<see cref="ReleaseDead"/>), reading from the store the evicted users it may release: on every node, the ones that never
/// train included. Their history comes back from the store,
/// with the answers they would have had had they stayed: on their next write (the write path reloads a user whose
/// apply answered <see cref="LiveApplyOutcome.Evicted"/>), on a request (<see cref="Load"/>: one synchronous store read
/// on the request thread, the one place serving reads the store: it happens once per eviction), and for training
/// (<see cref="ReadEvictedAsync"/>: histories replayed apart, the live state untouched). A sweep and a training
/// snapshot exclude each other (<see cref="PauseAsync"/>), so a snapshot holds every evicted user's stored history, and
/// slots are released by one pass at a time (a sweep's or a snapshot's).
/// Thread-safe.
/// </summary>
internal sealed class UserEviction : IAsyncDisposable
{
    private readonly IStore _store;
    private readonly EngineState _state;
    private readonly EngineMetrics _metrics;
    private readonly ResultCache _cache;
    private readonly ShownIndex _shown;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _schedule = Task.CompletedTask;

    public UserEviction(IStore store, EngineState state, ResultCache cache, ShownIndex shown, EngineMetrics metrics, TimeProvider time,
        ILogger logger)
    {
        _cache = cache;
        _shown = shown;
        _store = store;
        _state = state;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts the sweeps (eviction needs <see cref="LiveOptions.UserTtl"/>; the release of dead slots runs without it too).</summary>
    public void Start() => _schedule = RunAsync(Period(_state.Live.Options.UserTtl), _stopping.Token);

    /// <summary>
    /// Evicts the users inactive for the TTL now, then releases dead users' and deleted items' slots
    /// (<see cref="ReleaseDead"/>: the evicted users with nothing counted are read from the store for it; when the store
    /// fails, the slots wait for the next sweep). Returns how many users were evicted.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var evicted = Evict();
            try
            {
                ReleaseDead(await ReadAsync(_state.Live.EvictedUncounted(), cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                EngineLog.ReleaseFailed(_logger, e);
            }
            return evicted;
        }
        finally
        {
            _gate.Release();
        }
    }

    private int Evict()
    {
        var evicted = _state.Live.EvictInactive();
        foreach (var user in evicted)
        {
            var userId = _state.Live.GetUserId(user);
            _cache.Remove(userId);
            _shown.Forget(userId);
        }
        if (evicted.Count > 0)
        {
            _metrics.UsersEvicted(evicted.Count);
            EngineLog.UsersEvicted(_logger, evicted.Count, _state.Live.Options.UserTtl!.Value);
        }
        return evicted.Count;
    }

    /// <summary>
    /// An evicted user's snapshot, put back from the store (synchronously: the request path does not await). When the
    /// store fails, the evicted (empty) snapshot: the answer degrades to one without the user's history.
    /// </summary>
    public UserSnapshot Load(string userId, int userIndex)
    {
        try
        {
            var rows = _store.GetUserFeedbackAsync(userId, null, CancellationToken.None).GetAwaiter().GetResult();
            if (_state.Live.Restore(userId, userIndex, Events(rows)))
            {
                _metrics.UserLoaded();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            EngineLog.UserLoadFailed(_logger, userId, e);
        }
        // By id: the slot may have been released meanwhile (an empty history then, never another user's).
        return _state.Live.GetSnapshot(userId);
    }

    /// <summary>
    /// A user whose slot was released (<see cref="LiveInteractions.ReleaseDead"/>: no stored feedback then) and who is
    /// asked for again: when the store still holds them, they are registered anew and their snapshot returned (their
    /// rows, if a write stored some since, come with their next write); null when the store no longer holds them.
    /// Synchronous, like <see cref="Load"/>: once per released user. A failed store read answers null.
    /// </summary>
    public UserSnapshot? LoadReleased(string userId)
    {
        try
        {
            if (_store.TryGetUserAsync(userId, CancellationToken.None).GetAwaiter().GetResult() is null)
            {
                _state.Live.ForgetReleased(userId);
                return null;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            EngineLog.UserLoadFailed(_logger, userId, e);
            return null;
        }
        _state.Live.RegisterUser(userId);
        _metrics.UserLoaded();
        return _state.Live.TryGetUser(userId, out _, out var snapshot) ? snapshot : null;
    }

    /// <summary>Holds off sweeps until the result is disposed (a training snapshot is being taken).</summary>
    public async Task<IDisposable> PauseAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_gate);
    }

    /// <summary>Every evicted user's history as stored, replayed apart from the live state (call while paused).</summary>
    public Task<Dictionary<int, UserSnapshot>> ReadEvictedAsync(CancellationToken cancellationToken) =>
        ReadAsync(_state.Live.EvictedUsers(), cancellationToken);

    /// <summary>The stored histories of <paramref name="users"/> (evicted users), replayed apart from the live state (call while paused).</summary>
    private async Task<Dictionary<int, UserSnapshot>> ReadAsync(List<int> users, CancellationToken cancellationToken)
    {
        var live = _state.Live;
        var histories = new Dictionary<int, UserSnapshot>();
        foreach (var user in users)
        {
            var rows = await _store.GetUserFeedbackAsync(live.GetUserId(user), null, cancellationToken).ConfigureAwait(false);
            histories[user] = live.Replay(user, Events(rows));
        }
        return histories;
    }

    /// <summary>
    /// Releases the slots of dead users (<see cref="LiveInteractions.ReleaseDead"/>) and of deleted items nothing refers to
    /// (<see cref="LiveInteractions.ReleaseDeadItems"/>, which the catalog then forgets) given <paramref name="evicted"/>,
    /// the stored histories of evicted users read while paused (every one for a training snapshot; for a sweep, those with
    /// nothing counted: the others are never released, and their stored rows cannot name a deleted item, whose feedback
    /// left the store with it). Call while paused: one pass at a time. Counts and logs what it released.
    /// </summary>
    public void ReleaseDead(IReadOnlyDictionary<int, UserSnapshot> evicted)
    {
        var live = _state.Live;
        var users = live.ReleaseDead(evicted);
        if (users > 0)
        {
            _metrics.UsersReleased(users);
            EngineLog.UsersReleased(_logger, users, live.FreeUserSlots);
        }
        var items = live.ReleaseDeadItems(_state.Catalog.IsDeleted, evicted);
        foreach (var item in items)
        {
            _state.Catalog.Forget(item);
        }
        if (items.Count > 0)
        {
            EngineLog.ItemsReleased(_logger, items.Count);
        }
    }

    /// <summary>Stored feedback rows as live events, in the same order.</summary>
    public static LiveEvent[] Events(IReadOnlyList<Feedback> rows)
    {
        var events = new LiveEvent[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var f = rows[i];
            events[i] = new LiveEvent(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp);
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _schedule.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private static TimeSpan Period(TimeSpan? ttl) =>
        TimeSpan.FromTicks(Math.Clamp((ttl ?? TimeSpan.MaxValue).Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    private async Task RunAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(period, _time, cancellationToken).ConfigureAwait(false);
            await SweepAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
