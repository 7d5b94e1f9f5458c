namespace Fresco.Engine.Realtime;

/// <summary>
/// One item's popularity (users whose summed weight is positive; Interlocked) and trending score (an
/// exponentially decayed weight sum, guarded by this object's lock). Thread-safe.
/// </summary>
internal sealed class ItemCounters
{
    private readonly Lock _lock = new();
    private int _users;
    private double _trending;
    private long _trendingTicks;

    public int Users => Volatile.Read(ref _users);

    public void AddUser(int delta) => Interlocked.Add(ref _users, delta);

    /// <summary>Adds <paramref name="weight"/> at <paramref name="ticks"/>, decaying the older sum to the newer time.</summary>
    public void AddTrending(float weight, long ticks, double halfLifeTicks)
    {
        lock (_lock)
        {
            if (ticks >= _trendingTicks)
            {
                _trending = _trending * Decay(ticks - _trendingTicks, halfLifeTicks) + weight;
                _trendingTicks = ticks;
            }
            else
            {
                _trending += weight * Decay(_trendingTicks - ticks, halfLifeTicks);
            }
        }
    }

    /// <summary>The trending score decayed to <paramref name="ticks"/> (events after it are not undone).</summary>
    public double TrendingAt(long ticks, double halfLifeTicks)
    {
        lock (_lock)
        {
            return _trending * Decay(ticks - _trendingTicks, halfLifeTicks);
        }
    }

    private static double Decay(long elapsedTicks, double halfLifeTicks) =>
        elapsedTicks <= 0 ? 1 : Math.Pow(2, -elapsedTicks / halfLifeTicks);
}
