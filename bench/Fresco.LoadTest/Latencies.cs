using System.Diagnostics;
using System.Globalization;

namespace Fresco.LoadTest;

/// <summary>
/// Latencies of one kind of request, in Stopwatch ticks, with failure count; percentiles by sorting at the end.
/// Thread-safe for <see cref="Record"/> (a lock: recording is cheap next to an HTTP round trip).
/// </summary>
internal sealed class Latencies(string name)
{
    private readonly List<long> _ticks = new(1 << 16);
    private readonly Lock _lock = new();
    private long _failures;

    public string Name { get; } = name;

    public int Count => _ticks.Count;

    public long Failures => Interlocked.Read(ref _failures);

    public void Record(long ticks, bool ok)
    {
        if (!ok)
        {
            Interlocked.Increment(ref _failures);
        }
        lock (_lock)
        {
            _ticks.Add(ticks);
        }
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1), in milliseconds (nearest rank).</summary>
    public double Quantile(double q)
    {
        lock (_lock)
        {
            if (_ticks.Count == 0)
            {
                return double.NaN;
            }
            _ticks.Sort();
            var rank = Math.Clamp((int)Math.Ceiling(q * _ticks.Count) - 1, 0, _ticks.Count - 1);
            return _ticks[rank] * 1000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>p50, p99 and max only (for delays such as the send lag, where a rate means nothing).</summary>
    public string LagSummary() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} n={Count,7}  p50={Quantile(0.50),7:F2} ms  p99={Quantile(0.99),7:F2} ms  max={Quantile(1),7:F2} ms");

    public string Summary(double seconds) => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} n={Count,7} ok/s={(Count - Failures) / seconds,8:F0} failed={Failures,5}  p50={Quantile(0.50),7:F2} ms  p90={Quantile(0.90),7:F2} ms  p99={Quantile(0.99),7:F2} ms  p99.9={Quantile(0.999),7:F2} ms  max={Quantile(1),7:F2} ms");
}
