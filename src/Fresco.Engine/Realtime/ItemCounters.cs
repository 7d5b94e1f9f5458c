namespace Fresco.Engine.Realtime;

/// <summary>
/// One item's popularity (users whose summed weight is positive; Interlocked), those users (for co-occurrence),
/// and trending score (an exponentially decayed weight sum). The user set and trending are guarded by this
/// object's lock. Thread-safe.
/// </summary>
/// <param name="since">The <see cref="LiveInteractions.Version"/> at which a released slot was given to this item; 0 for a new slot.</param>
internal sealed class ItemCounters(long since = 0)
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _userSet = [];
    private int _users;
    private double _trending;
    private long _trendingTicks;

    public int Users => Volatile.Read(ref _users);

    /// <summary>See the constructor: a model view built before this stamp never scores the slot (<see cref="LiveInteractions.ItemSince"/>).</summary>
    public long Since { get; } = since;

    public void AddUser(int userIndex, bool add)
    {
        lock (_lock)
        {
            if (add ? _userSet.Add(userIndex) : _userSet.Remove(userIndex))
            {
                Interlocked.Add(ref _users, add ? 1 : -1);
            }
        }
    }

    /// <summary>Copies the users whose summed weight is positive into <paramref name="buffer"/> (replaced by a larger array when short); returns how many.</summary>
    public int CopyUsers(ref int[] buffer)
    {
        lock (_lock)
        {
            if (buffer.Length < _userSet.Count)
            {
                buffer = new int[Math.Max(_userSet.Count, buffer.Length * 2)];
            }
            _userSet.CopyTo(buffer);
            return _userSet.Count;
        }
    }

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
