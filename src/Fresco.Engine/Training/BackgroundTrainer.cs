using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Engine.Training;

/// <summary>
/// Runs training in the background: every <see cref="TrainingOptions.Interval"/> after the start of the previous
/// run (or of <see cref="Start"/>), and as soon as <see cref="NotifyEvents"/> has counted
/// <see cref="TrainingOptions.AfterEvents"/> events since the previous run started. Never two runs at once: a
/// trigger or a <see cref="TrainNowAsync"/> while a run is going joins that run (it returns that run's report,
/// which does not include the events that arrived meanwhile; those count toward the next run). Runs execute on
/// the thread pool (<see cref="Task.Run(Func{Task})"/>), never on the caller's thread. A run that throws is
/// logged and counted (<see cref="Failures"/>, the <c>failed</c> outcome) and the loop goes on; the registry
/// then still serves the previous model. Thread-safe.
/// </summary>
public sealed class BackgroundTrainer : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<TrainingReport>> _run;
    private readonly TrainingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TrainingMetrics _metrics;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task? _loop;
    private Task<TrainingReport?>? _running;
    private long _pendingEvents;
    private int _wakeRequested;
    private long _lastStartTicks;
    private long _runs;
    private long _failures;

    /// <param name="run">One training run (typically a snapshot of the live state handed to <see cref="ModelTrainer.TrainAsync"/>).</param>
    public BackgroundTrainer(Func<CancellationToken, Task<TrainingReport>> run, TrainingOptions options,
        TimeProvider? time = null, ILogger? logger = null, TrainingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        _run = run;
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? new TrainingMetrics();
        _lastStartTicks = _time.GetUtcNow().UtcTicks;
    }

    /// <summary>Events counted since the last run started.</summary>
    public long PendingEvents => Interlocked.Read(ref _pendingEvents);

    /// <summary>Runs that returned a report (promoted, rejected or skipped).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Runs that threw.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public TrainingReport? LastReport { get; private set; }

    public Exception? LastFailure { get; private set; }

    /// <summary>Starts the trigger loop; the first scheduled run is one interval from now.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            if (_loop is not null)
            {
                throw new InvalidOperationException("The background trainer is already started.");
            }
            Interlocked.Exchange(ref _lastStartTicks, _time.GetUtcNow().UtcTicks);
            _loop = Task.Run(() => LoopAsync(_stop.Token));
        }
    }

    /// <summary>Counts <paramref name="count"/> new events; reaching <see cref="TrainingOptions.AfterEvents"/> triggers a run.</summary>
    public void NotifyEvents(long count)
    {
        if (count <= 0)
        {
            return;
        }
        var pending = Interlocked.Add(ref _pendingEvents, count);
        if (_options.AfterEvents > 0 && pending >= _options.AfterEvents && Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>
    /// Trains now, or joins the run that is going. Returns its report, or null when the run failed (see
    /// <see cref="LastFailure"/>) or was cancelled by <see cref="StopAsync"/>.
    /// </summary>
    public Task<TrainingReport?> TrainNowAsync() => RunExclusive("manual");

    /// <summary>Stops the loop, cancels a running run and waits for it to end. Idempotent.</summary>
    public async Task StopAsync()
    {
        Task? loop;
        Task? running;
        lock (_lock)
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }
            loop = _loop;
            running = _running;
        }
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
        if (running is not null)
        {
            await running.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        var wake = _wake.WaitAsync(stop);
        while (!stop.IsCancellationRequested)
        {
            using var iteration = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var schedule = _options.Interval > TimeSpan.Zero
                ? Task.Delay(Due(), _time, iteration.Token)
                : Task.Delay(Timeout.Infinite, iteration.Token);
            var fired = await Task.WhenAny(schedule, wake).ConfigureAwait(false);
            await iteration.CancelAsync().ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                break;
            }
            var reason = "schedule";
            if (fired == wake)
            {
                Volatile.Write(ref _wakeRequested, 0);
                wake = _wake.WaitAsync(stop);
                reason = "events";
            }
            await RunExclusive(reason).ConfigureAwait(false);
        }
        try
        {
            await wake.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private TimeSpan Due()
    {
        var due = Interlocked.Read(ref _lastStartTicks) + _options.Interval.Ticks - _time.GetUtcNow().UtcTicks;
        return TimeSpan.FromTicks(Math.Max(0, due));
    }

    private Task<TrainingReport?> RunExclusive(string reason)
    {
        lock (_lock)
        {
            if (_running is { IsCompleted: false } running)
            {
                return running;
            }
            if (_stop.IsCancellationRequested)
            {
                return Task.FromResult<TrainingReport?>(null);
            }
            Interlocked.Exchange(ref _pendingEvents, 0);
            Interlocked.Exchange(ref _lastStartTicks, _time.GetUtcNow().UtcTicks);
            return _running = Task.Run(() => RunAsync(reason, _stop.Token));
        }
    }

    private async Task<TrainingReport?> RunAsync(string reason, CancellationToken stop)
    {
        var started = _time.GetTimestamp();
        TrainingLog.Started(_logger, reason);
        try
        {
            var report = await _run(stop).ConfigureAwait(false);
            _metrics.Record(report, _options.GateMetric);
            TrainingLog.Finished(_logger, report.Duration.TotalSeconds, report.Kind, report.Users, report.Items,
                report.Outcome.Version, report.Outcome.Promoted, report.Outcome.Reason);
            LastReport = report;
            Interlocked.Increment(ref _runs);
            return report;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception)
        {
            var elapsed = _time.GetElapsedTime(started);
            TrainingLog.Failed(_logger, elapsed.TotalSeconds, exception);
            _metrics.RecordFailure(elapsed);
            LastFailure = exception;
            Interlocked.Increment(ref _failures);
            return null;
        }
    }
}
