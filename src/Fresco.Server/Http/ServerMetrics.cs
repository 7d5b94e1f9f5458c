using System.Diagnostics.Metrics;

namespace Fresco.Server.Http;

/// <summary>
/// The server's own instruments on the <c>Fresco.Server</c> meter (exported as <c>fresco_server_*</c>): requests shed
/// by reason (<c>queue_delay</c>: the thread pool's queueing delay stood over its target; <c>concurrency</c>: the
/// concurrency limit and its queue were full) the last measured thread-pool queueing delay in milliseconds and queue length.
/// Thread-safe (instruments are).
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "Fresco.Server";
    private static readonly KeyValuePair<string, object?> s_queueDelay = new("reason", "queue_delay");
    private static readonly KeyValuePair<string, object?> s_concurrency = new("reason", "concurrency");
    private readonly Counter<long> _shed;

    public ServerMetrics(IMeterFactory meterFactory, QueueDelayShedder shedder)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(shedder);
        var meter = meterFactory.Create(MeterName);
        _shed = meter.CreateCounter<long>("requests.shed", "{request}", "Requests answered 503 without being served, by reason.");
        meter.CreateObservableGauge("queue.delay", () => shedder.LastDelay.TotalMilliseconds, "ms",
            "The thread pool's last measured queueing delay (0 when queue-delay shedding is off).");
        meter.CreateObservableGauge("queue.length", () => shedder.LastQueueLength, "{work item}",
            "Work items waiting in the thread pool at the last measurement (0 when queue-delay shedding is off).");
    }

    public void ShedForQueueDelay() => _shed.Add(1, s_queueDelay);

    public void ShedForConcurrency() => _shed.Add(1, s_concurrency);
}
