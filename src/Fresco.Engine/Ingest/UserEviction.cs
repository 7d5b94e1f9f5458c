using Fresco.Engine.Impressions;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Keeps users inactive for <see cref="LiveOptions.UserTtl"/> out of memory. A sweep every quarter of the TTL (1 s to
/// 1 min) evicts them from the live state (<see cref="LiveInteractions.EvictInactive"/>), their cached answers
/// (<see cref="ResultCache"/>, which would hold their old snapshots) and what they were shown (<see cref="ShownIndex"/>:
/// a rotation starts over and last touch no longer credits their earlier answers); their history comes back from the store,
/// with the answers they would have had had they stayed: on their next write (the write path reloads a user whose
/// apply answered <see cref="LiveApplyOutcome.Evicted"/>), on a request (<see cref="Load"/>: one synchronous store read
/// on the request thread, the one place serving reads the store: it happens once per eviction), and for training
/// (<see cref="ReadEvictedAsync"/>: histories replayed apart, the live state untouched). A sweep and a training
/// snapshot exclude each other (<see cref="PauseAsync"/>), so a snapshot holds every evicted user's stored history.
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

    /// <summary>Starts the sweeps (none without <see cref="LiveOptions.UserTtl"/>).</summary>
    public void Start()
    {
        if (_state.Live.Options.UserTtl is { } ttl)
        {
            _schedule = RunAsync(Period(ttl), _stopping.Token);
        }
    }

    /// <summary>Evicts the users inactive for the TTL now; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
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
        finally
        {
            _gate.Release();
        }
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
    public async Task<Dictionary<int, UserSnapshot>> ReadEvictedAsync(CancellationToken cancellationToken)
    {
        var live = _state.Live;
        var histories = new Dictionary<int, UserSnapshot>();
        foreach (var user in live.EvictedUsers())
        {
            var rows = await _store.GetUserFeedbackAsync(live.GetUserId(user), null, cancellationToken).ConfigureAwait(false);
            histories[user] = live.Replay(user, Events(rows));
        }
        return histories;
    }

    /// <summary>
    /// Releases the slots of dead users (<see cref="LiveInteractions.ReleaseDead"/>) given <paramref name="evicted"/>, what
    /// <see cref="ReadEvictedAsync"/> read (call while paused); counts and logs them. Returns how many.
    /// </summary>
    public int ReleaseDead(IReadOnlyDictionary<int, UserSnapshot> evicted)
    {
        var released = _state.Live.ReleaseDead(evicted);
        if (released > 0)
        {
            _metrics.UsersReleased(released);
            EngineLog.UsersReleased(_logger, released, _state.Live.FreeUserSlots);
        }
        return released;
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

    private static TimeSpan Period(TimeSpan ttl) =>
        TimeSpan.FromTicks(Math.Clamp(ttl.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

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
