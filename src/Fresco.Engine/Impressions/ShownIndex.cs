using System.Collections.Concurrent;

namespace Fresco.Engine.Impressions;

/// <summary>
/// What each user was shown lately (<see cref="ShownItems"/>), in memory, fed by the impressions this engine records and,
/// at start, by the store's impressions of the window. Bounded: per user (<see cref="ImpressionOptions.MaxShownPerUser"/>,
/// the newest) and in users (<see cref="ImpressionOptions.MaxShownUsers"/>: an add beyond it schedules one trim on the
/// thread pool that forgets the users shown to longest ago, down to 90%). Read by <c>Rotation</c> and by last-touch
/// attribution. Thread-safe: lookups are one dictionary read of an immutable value; updates swap it (compare and swap).
/// </summary>
internal sealed class ShownIndex
{
    private readonly ConcurrentDictionary<string, ShownItems> _users = new(StringComparer.Ordinal);
    private readonly int _maxPerUser;
    private readonly int _maxUsers;
    private int _trimScheduled;

    public ShownIndex(ImpressionOptions options, TimeSpan window)
    {
        _maxPerUser = options.MaxShownPerUser;
        _maxUsers = options.MaxShownUsers;
        Window = window;
    }

    /// <summary>How long a showing is remembered.</summary>
    public TimeSpan Window { get; }

    public int Users => _users.Count;

    /// <summary>Forgets what the user was shown (a user evicted from memory by <c>Live:UserTtl</c>).</summary>
    public void Forget(string userId) => _users.TryRemove(userId, out _);

    /// <summary>What the user was shown lately, or null.</summary>
    public ShownItems? Of(string userId) => _users.GetValueOrDefault(userId);

    /// <summary>Records that the answer <paramref name="answer"/> showed <paramref name="items"/> (live indices) to the user at <paramref name="ticks"/>.</summary>
    public void Record(string userId, ReadOnlySpan<int> items, long ticks, string answer)
    {
        var oldest = ticks - Window.Ticks;
        while (true)
        {
            if (_users.TryGetValue(userId, out var current))
            {
                if (_users.TryUpdate(userId, current.With(items, ticks, answer, oldest, _maxPerUser), current))
                {
                    return;
                }
            }
            else if (_users.TryAdd(userId, ShownItems.Empty.With(items, ticks, answer, oldest, _maxPerUser)))
            {
                if (_users.Count > _maxUsers && Interlocked.CompareExchange(ref _trimScheduled, 1, 0) == 0)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static index => index.Trim(), this, preferLocal: false);
                }
                return;
            }
        }
    }

    /// <summary>Forgets the users shown to longest ago, down to 90% of the bound (O(n log n), off request threads).</summary>
    internal void Trim()
    {
        try
        {
            var users = _users.ToArray();
            var drop = users.Length - _maxUsers + _maxUsers / 10;
            if (drop <= 0)
            {
                return;
            }
            Array.Sort(users, static (a, b) => a.Value.LastTicks.CompareTo(b.Value.LastTicks));
            for (var i = 0; i < drop; i++)
            {
                _users.TryRemove(users[i]);
            }
        }
        finally
        {
            Volatile.Write(ref _trimScheduled, 0);
        }
    }
}
