using System.Diagnostics;

namespace Fresco.LoadTest;

/// <summary>
/// The timing of one open-loop request (no coordinated omission): it never leaves before its scheduled moment, its
/// latency counts from that moment however late it left, and how late it left (the send lag: the generator's own
/// delay) is recorded apart. Clock and sleep are passed in (Stopwatch ticks in the runner, a fake clock in tests).
/// Thread-safe (static).
/// </summary>
internal static class RequestTiming
{
    /// <summary>
    /// Returns once <paramref name="clock"/> reads at least <paramref name="due"/>, calling <paramref name="sleep"/> with
    /// the ticks still to wait until then (<see cref="Sleep"/> in the runners). It never returns early; it may return
    /// up to one sleep's overshoot late, which the send lag shows.
    /// </summary>
    public static async ValueTask WaitUntilAsync(long due, Func<long> clock, Func<long, ValueTask> sleep)
    {
        for (var now = clock(); now < due; now = clock())
        {
            await sleep(due - now).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The runners' sleep for <paramref name="remaining"/> Stopwatch ticks: the timer queue (about a millisecond late,
    /// plus a hop to the thread pool) for all but the last 2 ms, then a 1 ms kernel sleep on this thread, then yields
    /// below 1 ms. So a request leaves within tens of microseconds of its time instead of 1-2 ms after it, and the
    /// waiting never spins while another thread (the server, on a shared machine) could run.
    /// </summary>
    public static ValueTask Sleep(long remaining)
    {
        var ms = remaining * 1000 / Stopwatch.Frequency;
        if (ms >= 2)
        {
            return new ValueTask(Task.Delay((int)ms - 1));
        }
        if (ms == 1)
        {
            Thread.Sleep(1);
        }
        else
        {
            Thread.Yield();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends a request due at <paramref name="due"/>: records in <paramref name="sendLag"/> how late it left and in
    /// <paramref name="latency"/> the time from <paramref name="due"/> to its answer.
    /// </summary>
    public static async Task SendAsync(long due, Func<long> clock, Func<Task<bool>> send, Latencies latency, Latencies sendLag)
    {
        sendLag.Record(clock() - due, ok: true);
        var ok = await send().ConfigureAwait(false);
        latency.Record(clock() - due, ok);
    }
}
