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
    /// Returns once <paramref name="clock"/> reads at least <paramref name="due"/>, sleeping in short steps
    /// (<paramref name="sleep"/>, about 1 ms) rather than spinning: the server shares the cores. It never returns early;
    /// it may return up to a sleep step late, which the send lag shows.
    /// </summary>
    public static async ValueTask WaitUntilAsync(long due, Func<long> clock, Func<ValueTask> sleep)
    {
        while (clock() < due)
        {
            await sleep().ConfigureAwait(false);
        }
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
