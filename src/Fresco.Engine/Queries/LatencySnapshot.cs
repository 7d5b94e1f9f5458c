namespace Fresco.Engine.Queries;

/// <summary>
/// A <see cref="LatencyHistogram"/> at one moment: calls recorded since start, their total duration in seconds, and
/// the count per bucket (bucket i: under 2^i microseconds). Cumulative: diff two to see an interval. Immutable.
/// </summary>
public sealed record LatencySnapshot(long Count, double TotalSeconds, IReadOnlyList<long> Buckets);
