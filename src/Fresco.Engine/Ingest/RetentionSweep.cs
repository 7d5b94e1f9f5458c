using System.Diagnostics;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Applies <see cref="RetentionOptions"/> every <see cref="RetentionOptions.SweepInterval"/>, off the write path.
/// Feedback TTL (Gorse's <c>positive_feedback_ttl</c>, which stops reading such feedback; here it is deleted): the rows
/// older than the TTL leave the store one batch of <see cref="RetentionOptions.SweepBatch"/> at a time
/// (<see cref="IEventStore.DeleteFeedbackBeforeAsync"/>: each batch is one short write among the others, and the sweep
/// rests as long as a batch took before the next), then their
/// users' live histories and item popularity are rebuilt from what is left, on the users' stripes (an evicted user stays
/// out of memory; trending counters keep the expired events, decayed by then by at least the TTL's half-lives).
/// Item TTL (Gorse's <c>item_ttl</c>: such items are no longer read): items dated before it stop being recommended,
/// as hidden ones; they stay stored with their feedback, and training still reads it. Impressions TTL: impressions and
/// attributions older than it leave the store in batches of at most <see cref="RetentionOptions.SweepBatch"/> each
/// (<see cref="IImpressionStore.DeleteImpressionsBeforeAsync"/>), with the same rest between batches; nothing in memory
/// reads them (the shown index keeps its own window). Thread-safe: sweeps run one at a time.
/// </summary>
internal sealed class RetentionSweep : IAsyncDisposable
{
    private readonly IStore _store;
    private readonly EngineState _state;
    private readonly FeedbackIngest _feedback;
    private readonly EngineMetrics _metrics;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _schedule = Task.CompletedTask;

    public RetentionSweep(IStore store, EngineState state, FeedbackIngest feedback, EngineMetrics metrics, RetentionOptions options,
        TimeProvider time, ILogger logger)
    {
        _store = store;
        _state = state;
        _feedback = feedback;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Hides the expired items at once (call before the engine serves) and starts the schedule, whose first sweep runs
    /// now, in the background (none when neither TTL is set).
    /// </summary>
    public void Start()
    {
        if (_options.ItemTtl is { } itemTtl)
        {
            _state.Catalog.ExpireBefore((_time.GetUtcNow() - itemTtl).UtcTicks);
        }
        if (_options.FeedbackTtl is not null || _options.ItemTtl is not null || _options.ImpressionTtl is not null)
        {
            _schedule = Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    /// <summary>Runs one sweep now (after the one running, if any).</summary>
    public async Task<RetentionResult> SweepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var items = _options.ItemTtl is { } itemTtl ? _state.Catalog.ExpireBefore((now - itemTtl).UtcTicks) : 0;
            var feedback = _options.FeedbackTtl is { } feedbackTtl ? await ExpireFeedbackAsync(now - feedbackTtl, cancellationToken).ConfigureAwait(false) : 0;
            if (items + feedback > 0)
            {
                _state.Lists.MarkChanged();
                _metrics.Expired(feedback, items);
                EngineLog.Expired(_logger, feedback, items);
            }
            var impressions = _options.ImpressionTtl is { } impressionTtl
                ? await ExpireImpressionsAsync(now - impressionTtl, cancellationToken).ConfigureAwait(false)
                : 0;
            if (impressions > 0)
            {
                _metrics.ImpressionsExpired(impressions);
                EngineLog.ImpressionsExpired(_logger, impressions);
            }
            return new RetentionResult(feedback, items, impressions);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> ExpireFeedbackAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var rows = await _store.DeleteFeedbackBeforeAsync(cutoff, _options.SweepBatch, cancellationToken).ConfigureAwait(false);
            var took = Stopwatch.GetElapsedTime(started);
            _metrics.ExpiryBatch(took);
            if (rows.Count == 0)
            {
                return total;
            }
            foreach (var userId in rows.Select(f => f.UserId).Distinct(StringComparer.Ordinal))
            {
                await _feedback.ReloadExpiredUserAsync(userId, CancellationToken.None).ConfigureAwait(false);
            }
            _state.AddEvents(-rows.Count);
            total += rows.Count;
            if (rows.Count < _options.SweepBatch)
            {
                return total;
            }
            // Back to back, every write would share its commit with a delete batch and wait as long: resting as long as
            // the batch took leaves the writer free at least half the time. A throttle on real time, not the schedule's clock.
            await Task.Delay(took, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<int> ExpireImpressionsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var rows = await _store.DeleteImpressionsBeforeAsync(cutoff, _options.SweepBatch, cancellationToken).ConfigureAwait(false);
            if (rows == 0)
            {
                return total;
            }
            total += rows;
            await Task.Delay(Stopwatch.GetElapsedTime(started), CancellationToken.None).ConfigureAwait(false); // as for feedback
        }
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

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                EngineLog.ExpiryFailed(_logger, _options.SweepInterval, e); // a full disk or a store outage: the next sweep tries again
            }
            await Task.Delay(_options.SweepInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// What one <see cref="RetentionSweep"/> removed: feedback rows deleted, items newly hidden, impression and attribution
/// rows deleted. Immutable value.
/// </summary>
public readonly record struct RetentionResult(int FeedbackDeleted, int ItemsExpired, int ImpressionsDeleted = 0);
