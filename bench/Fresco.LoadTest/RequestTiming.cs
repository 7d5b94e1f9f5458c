using System.Diagnostics;
using System.Runtime.InteropServices;

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
    /// plus a hop to the thread pool) for all but the last 2 ms, then one kernel sleep on this thread for the rest
    /// (<c>nanosleep</c>: a high-resolution timer; send lag p50 0.13-0.23 ms on this machine). So a request leaves a
    /// fraction of a millisecond after its time, and the waiting never spins: a generator that yields in a loop until
    /// its next send keeps a core busy at high rates (about 0.8 of this 2-core machine's cores at 1,100 requests/s,
    /// measured with bench/cluster.sh's CPU report), which the server under test then lacks.
    /// </summary>
    public static ValueTask Sleep(long remaining)
    {
        var ms = remaining * 1000 / Stopwatch.Frequency;
        if (ms >= 2)
        {
            return new ValueTask(Task.Delay((int)ms - 1));
        }
        if (OperatingSystem.IsLinux())
        {
            var nanoseconds = remaining * 1_000_000_000 / Stopwatch.Frequency;
            var request = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            _ = NativeSleep(ref request, IntPtr.Zero); // interrupted early (EINTR): the caller's loop sleeps again
        }
        else
        {
            Thread.Sleep(1); // no sub-millisecond sleep elsewhere: late by up to a millisecond, which the send lag shows
        }
        return ValueTask.CompletedTask;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
    private static extern int NativeSleep(ref Timespec request, IntPtr remaining);

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
