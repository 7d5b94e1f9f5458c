using System.Diagnostics;

namespace Fresco.LoadTest;

/// <summary>
/// Open-loop load at a fixed rate: <c>recommend --rate 1000 --duration 30 [--warmup 5] [--control-rate 100] [--n 10]
/// [--scenario NAME]</c> (each recommend request then names the stored scenario).
/// Requests are sent on a fixed schedule whatever the answers do, never before their scheduled time, and each latency
/// is measured from that time (so a stalled server, or a generator falling behind, shows up as latency, not as a
/// lower rate: no coordinated omission); the send lag (sent minus scheduled) is reported beside it
/// (<see cref="RequestTiming"/>). GET /api/health/live runs interleaved at the control rate as the baseline of the
/// same run. Failed requests (a shedding server's 503s) are counted by status and timed apart from the successful ones.
/// Not thread-safe.
/// </summary>
internal static class RecommendRunner
{
    public static async Task<int> RunAsync(ApiClient client, Arguments args)
    {
        var rate = args.Double("--rate", 1000);
        var controlRate = args.Double("--control-rate", 100);
        var duration = args.Double("--duration", 30);
        var warmup = args.Double("--warmup", 5);
        var n = args.Int("--n", 10);
        var scenario = args.Optional("--scenario") is { } name ? "&scenario=" + Uri.EscapeDataString(name) : "";
        var users = await client.ListUsersAsync(args.Int("--users", 10_000)).ConfigureAwait(false);
        if (users.Count == 0)
        {
            throw new InvalidOperationException("the server has no users: import data first");
        }
        Console.WriteLine($"recommend: {users.Count} users, {rate}/s recommend{scenario} + {controlRate}/s health, {warmup} s warm-up + {duration} s measured");

        var recommend = new Latencies("GET /api/recommend/{user}");
        var health = new Latencies("GET /api/health/live");
        var discard = new Latencies("warm-up");
        var sendLag = new Latencies("send lag (sent - scheduled)");
        var statuses = new StatusCounts();
        var random = new Random(7);
        var total = rate + controlRate;
        var interval = Stopwatch.Frequency / total;
        var count = (long)((warmup + duration) * total);
        var warmupCount = (long)(warmup * total);
        var pending = new List<Task>((int)Math.Min(count, 1 << 20));
        var start = Stopwatch.GetTimestamp();
        var controlEvery = controlRate > 0 ? total / controlRate : double.PositiveInfinity;
        var nextControl = controlEvery / 2;
        long measuredStart = 0;
        for (long i = 0; i < count; i++)
        {
            var scheduled = start + (long)(i * interval);
            await RequestTiming.WaitUntilAsync(scheduled, s_clock, s_sleep).ConfigureAwait(false);
            if (i == warmupCount)
            {
                measuredStart = Stopwatch.GetTimestamp();
            }
            var isControl = i >= nextControl;
            if (isControl)
            {
                nextControl += controlEvery;
            }
            var target = i < warmupCount ? discard : isControl ? health : recommend;
            var path = isControl ? "api/health/live" : $"api/recommend/{Uri.EscapeDataString(users[random.Next(users.Count)])}?n={n}{scenario}";
            pending.Add(SendAsync(client, path, scheduled, target, i < warmupCount ? discard : sendLag, i < warmupCount ? null : statuses));
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
        var seconds = (Stopwatch.GetTimestamp() - measuredStart) / (double)Stopwatch.Frequency;
        Console.WriteLine(recommend.Summary(seconds));
        Console.WriteLine(health.Summary(seconds));
        Console.WriteLine(sendLag.LagSummary());
        Console.WriteLine(statuses.Summary());
        return recommend.Failures == 0 && health.Failures == 0 ? 0 : 1;
    }

    private static readonly Func<long> s_clock = Stopwatch.GetTimestamp;
    private static readonly Func<long, ValueTask> s_sleep = RequestTiming.Sleep;

    private static async Task SendAsync(ApiClient client, string path, long scheduled, Latencies target, Latencies sendLag, StatusCounts? statuses)
    {
        await Task.Yield();
        await RequestTiming.SendAsync(scheduled, s_clock, async () =>
        {
            var status = await client.GetStatusAsync(path).ConfigureAwait(false);
            statuses?.Add(status);
            return status is >= 200 and < 300;
        }, target, sendLag).ConfigureAwait(false);
    }
}
