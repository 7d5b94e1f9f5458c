using System.Diagnostics;
using System.Globalization;

namespace Fresco.LoadTest;

/// <summary>
/// Latencies of one kind of request, in Stopwatch ticks: percentiles of the successful ones, and of the failed ones
/// apart (a server shedding load answers its refusals fast, which must not flatter the accepted requests' figures);
/// percentiles by sorting at the end. Thread-safe for <see cref="Record"/> (a lock: recording is cheap next to an HTTP round trip).
/// </summary>
internal sealed class Latencies(string name)
{
    private readonly List<long> _ticks = new(1 << 16);
    private readonly List<long> _failedTicks = [];
    private readonly Lock _lock = new();

    public string Name { get; } = name;

    /// <summary>Requests recorded, successful or not.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ticks.Count + _failedTicks.Count;
            }
        }
    }

    public long Failures
    {
        get
        {
            lock (_lock)
            {
                return _failedTicks.Count;
            }
        }
    }

    public void Record(long ticks, bool ok)
    {
        lock (_lock)
        {
            (ok ? _ticks : _failedTicks).Add(ticks);
        }
    }

    /// <summary>The latency of the successful requests at quantile <paramref name="q"/> (0..1), in milliseconds (nearest rank).</summary>
    public double Quantile(double q) => Quantile(_ticks, q);

    private double Quantile(List<long> ticks, double q)
    {
        lock (_lock)
        {
            if (ticks.Count == 0)
            {
                return double.NaN;
            }
            ticks.Sort();
            var rank = Math.Clamp((int)Math.Ceiling(q * ticks.Count) - 1, 0, ticks.Count - 1);
            return ticks[rank] * 1000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>p50, p99 and max only (for delays such as the send lag, where a rate means nothing).</summary>
    public string LagSummary() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} n={Count,7}  p50={Quantile(0.50),7:F2} ms  p99={Quantile(0.99),7:F2} ms  max={Quantile(1),7:F2} ms");

    /// <summary>Rate and percentiles of the successful requests; the failed ones' p50 and p99 when there are any.</summary>
    public string Summary(double seconds) => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} n={Count,7} ok/s={(Count - Failures) / seconds,8:F0} failed={Failures,5}  p50={Quantile(0.50),7:F2} ms  p90={Quantile(0.90),7:F2} ms  p99={Quantile(0.99),7:F2} ms  p99.9={Quantile(0.999),7:F2} ms  max={Quantile(1),7:F2} ms")
        + (Failures == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $"  (failed: p50={Quantile(_failedTicks, 0.50):F2} ms  p99={Quantile(_failedTicks, 0.99):F2} ms)"));
}
