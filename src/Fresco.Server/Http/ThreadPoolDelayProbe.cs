using Microsoft.Extensions.Hosting;

namespace Fresco.Server.Http;

/// <summary>
/// Measures the thread pool's queueing delay, the wait that Kestrel's parsing of each request and its handler go
/// through before any middleware sees them: every half <see cref="FrescoServerOptions.QueueDelayTarget"/> a dedicated
/// thread queues one work item to the pool's global (first-in, first-out) queue and reports to the
/// <see cref="QueueDelayShedder"/> how long it waited, and, while it still waits, how long it has waited so far (a
/// lower bound on what the requests dequeued meanwhile have waited), with the pool's queue length. Costs one work
/// item per probe
/// and two blocking waits (no spinning).
/// Thread-safe (its own thread; started and stopped by the host).
/// </summary>
internal sealed class ThreadPoolDelayProbe(QueueDelayShedder shedder, FrescoServerOptions server, TimeProvider time) : IHostedService, IDisposable
{
    private static readonly Action<ManualResetEventSlim> s_signal = arrived => arrived.Set();
    private readonly CancellationTokenSource _stopping = new();
    // No spinning before the wait blocks: a probe waits a millisecond or more anyway, and spinning takes a core from the
    // other processes of a shared host (the probe was about 2% of a cluster replica's CPU under ingestion: benchmarks.md).
    private readonly ManualResetEventSlim _arrived = new(initialState: false, spinCount: 0);
    private readonly TimeSpan _period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, server.QueueDelayTarget.Ticks / 2));
    private Thread? _thread;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "fresco-queue-delay-probe" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    private void Stop()
    {
        _stopping.Cancel();
        _thread?.Join();
        _thread = null;
    }

    private void Run()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            _arrived.Reset();
            var queued = time.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(s_signal, _arrived, preferLocal: false);
            while (!_arrived.Wait(_period) && !stopping.IsCancellationRequested)
            {
                shedder.Observe(time.GetElapsedTime(queued), ThreadPool.PendingWorkItemCount);
            }
            if (stopping.IsCancellationRequested)
            {
                return;
            }
            shedder.Observe(time.GetElapsedTime(queued), ThreadPool.PendingWorkItemCount);
            stopping.WaitHandle.WaitOne(_period);
        }
    }

    // _arrived is not disposed: a probe still queued at shutdown sets it later (it holds no kernel handle: only
    // Wait with a timeout is used, never WaitHandle).
    public void Dispose()
    {
        Stop(); // the host may dispose without stopping (a start-up that failed)
        _stopping.Dispose();
    }
}
