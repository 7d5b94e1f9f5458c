using System.Diagnostics;
using Fresco.LoadTest;

namespace Fresco.Server.Tests.LoadTest;

/// <summary>
/// The load generator's request timing (<c>bench/Fresco.LoadTest/RequestTiming.cs</c>, compiled in here): never early,
/// latency from the scheduled time, send lag apart. A fake clock in Stopwatch ticks.
/// </summary>
public sealed class RequestTimingTests
{
    private static readonly long s_ms = Stopwatch.Frequency / 1000;

    [Fact]
    public async Task ARequestNeverLeavesBeforeItsScheduledTime()
    {
        var now = 0L;
        var sleeps = 0;
        var due = (3 * s_ms) + (s_ms / 20); // 3.05 ms; each sleep step takes 1.1 ms

        await RequestTiming.WaitUntilAsync(due, () => now, remaining =>
        {
            Assert.Equal(due - now, remaining);
            now += s_ms * 11 / 10;
            sleeps++;
            return ValueTask.CompletedTask;
        });

        Assert.True(now >= due, $"left at {now} before {due}");
        Assert.Equal(3, sleeps); // 1.1, 2.2 (0.85 ms early: still waits), 3.3
    }

    [Fact]
    public async Task ALateRequestIsTimedFromItsScheduledTimeAndItsLagIsReportedApart()
    {
        var latency = new Latencies("recommend");
        var lag = new Latencies("send lag");
        var now = 15 * s_ms; // due at 10 ms, the generator gets to it at 15 ms; the server answers in 2 ms

        await RequestTiming.SendAsync(10 * s_ms, () => now, () =>
        {
            now += 2 * s_ms;
            return Task.FromResult(true);
        }, latency, lag);

        Assert.Equal(7.0, latency.Quantile(1), 6); // 5 ms late + 2 ms, not the 2 ms since it left
        Assert.Equal(5.0, lag.Quantile(1), 6);
        Assert.Equal(0, latency.Failures);
    }
}
