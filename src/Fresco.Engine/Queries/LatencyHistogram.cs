using System.Diagnostics;
using System.Numerics;

namespace Fresco.Engine.Queries;

/// <summary>
/// Counts durations since start in power-of-two microsecond buckets (bucket i: under 2^i us; the last also takes
/// everything longer), so a reader that diffs two <see cref="Snapshot"/>s gets the count, mean and percentiles of the
/// interval between them. Recording is two interlocked adds and allocates nothing. Thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Buckets: 1 us .. 2^31 us (about 36 minutes).</summary>
    public const int BucketCount = 32;

    private readonly long[] _buckets = new long[BucketCount];
    private long _totalTicks;

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void RecordSince(long startTimestamp)
    {
        var ticks = Stopwatch.GetTimestamp() - startTimestamp;
        var micros = (ulong)Math.Max(0, ticks * 1_000_000 / Stopwatch.Frequency);
        var bucket = Math.Min(BucketCount - 1, 64 - BitOperations.LeadingZeroCount(micros));
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Add(ref _totalTicks, ticks);
    }

    /// <summary>The counts so far (each bucket read atomically; the set as a whole is approximately consistent).</summary>
    public LatencySnapshot Snapshot()
    {
        var buckets = new long[BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = Volatile.Read(ref _buckets[i]);
        }
        return new LatencySnapshot(buckets.Sum(), (double)Volatile.Read(ref _totalTicks) / Stopwatch.Frequency, buckets);
    }
}
