namespace Fresco.Server.Http;

/// <summary>
/// Decides from the thread pool's queueing delay whether the server is overloaded, CoDel-style (Nichols and
/// Jacobson, "Controlling Queue Delay", 2012): shedding starts once every observed delay has stayed at or above
/// <see cref="FrescoServerOptions.QueueDelayTarget"/> for <see cref="FrescoServerOptions.QueueDelayInterval"/> (a standing
/// queue, not a burst) and stops at the first delay under the target (the queue drained). Within an interval after a
/// shedding spell, one delay over the target restarts it at once, so a sustained overload does not get a fresh grace
/// period each time the queue drains. A delay counts only while the queue holds at least <see cref="MinQueueLength"/>
/// work items: a long wait behind a short queue means the pool's threads are busy with other work (a training run)
/// or the machine's CPU is taken by other processes, and refusing requests would not shorten it. Hand-written: the adaptive limiters on NuGet (Farfetch.LoadShedding,
/// ConcurrencyLimits.NET) are not served here and, like ASP.NET Core's ConcurrencyLimiter, see only requests inside
/// the pipeline, while under CPU overload they wait in the thread pool before it.
/// Thread-safe: <see cref="Observe"/> takes a lock (one caller, the probe); <see cref="IsShedding"/> is a volatile read.
/// </summary>
internal sealed class QueueDelayShedder
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _target;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private long _aboveSince = -1;       // timestamp of the first delay of the current run over the target; -1: none
    private long _sheddingEnded = -1;    // timestamp at which the last shedding spell ended; -1: never
    private volatile bool _shedding;
    private long _lastDelayTicks;
    private long _lastQueueLength;

    /// <summary>Fewest queued work items for a delay to count: two per core.</summary>
    public static int MinQueueLength { get; } = 2 * Environment.ProcessorCount;

    public QueueDelayShedder(FrescoServerOptions server, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(time);
        _target = server.QueueDelayTarget;
        _interval = server.QueueDelayInterval;
        _time = time;
    }

    /// <summary>True while requests should be refused (the last decision of <see cref="Observe"/>).</summary>
    public bool IsShedding => _shedding;

    /// <summary>The last delay observed.</summary>
    public TimeSpan LastDelay => TimeSpan.FromTicks(Interlocked.Read(ref _lastDelayTicks));

    /// <summary>The thread pool's queue length at the last observation.</summary>
    public long LastQueueLength => Interlocked.Read(ref _lastQueueLength);

    /// <summary>
    /// Takes one observation made now: how long a work item queued to the thread pool has waited (so far), and how
    /// many work items the pool holds.
    /// </summary>
    public void Observe(TimeSpan delay, long queueLength)
    {
        Interlocked.Exchange(ref _lastDelayTicks, delay.Ticks);
        Interlocked.Exchange(ref _lastQueueLength, queueLength);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (delay < _target || queueLength < MinQueueLength)
            {
                _aboveSince = -1;
                if (_shedding)
                {
                    _shedding = false;
                    _sheddingEnded = now;
                }
                return;
            }
            if (_aboveSince < 0)
            {
                _aboveSince = now;
            }
            if (!_shedding && (_time.GetElapsedTime(_aboveSince, now) >= _interval
                || (_sheddingEnded >= 0 && _time.GetElapsedTime(_sheddingEnded, now) < _interval)))
            {
                _shedding = true;
            }
        }
    }
}
