using System.Collections.Concurrent;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// The last answer per user, valid while nothing it depends on changed: the user's snapshot (replaced on each of
/// the user's events), the serving model (swaps), the catalog generation (hidden, deleted, re-categorised items)
/// and the query; and for at most the time to live. Bounded: beyond <c>capacity</c> users the least recently used tenth is dropped. Thread-safe:
/// lookups never lock; trimming takes one lock.
/// </summary>
internal sealed class ResultCache(int capacity, TimeSpan ttl, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _trimLock = new();
    private long _clock;
    private int _count;
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count => Volatile.Read(ref _count);

    public bool Enabled => capacity > 0;

    public ScoredId[]? TryGet(string userId, UserSnapshot snapshot, ModelView? view, long generation, RecommendQuery query)
    {
        if (_entries.TryGetValue(userId, out var entry)
            && ReferenceEquals(entry.Snapshot, snapshot)
            && ReferenceEquals(entry.View, view)
            && entry.Generation == generation
            && entry.N == query.N
            && entry.Offset == query.Offset
            && string.Equals(entry.Category, query.Category, StringComparison.Ordinal)
            && time.GetUtcNow().UtcTicks - entry.CreatedTicks < ttl.Ticks)
        {
            entry.LastUse = Interlocked.Increment(ref _clock);
            Interlocked.Increment(ref _hits);
            return entry.Result;
        }
        Interlocked.Increment(ref _misses);
        return null;
    }

    public void Add(string userId, UserSnapshot snapshot, ModelView? view, long generation, RecommendQuery query, ScoredId[] result)
    {
        var entry = new Entry(snapshot, view, generation, query.N, query.Offset, query.Category, result, Interlocked.Increment(ref _clock))
        {
            CreatedTicks = time.GetUtcNow().UtcTicks,
        };
        if (_entries.TryAdd(userId, entry))
        {
            if (Interlocked.Increment(ref _count) > capacity)
            {
                Trim();
            }
        }
        else
        {
            _entries[userId] = entry;
        }
    }

    private void Trim()
    {
        if (!_trimLock.TryEnter())
        {
            return;
        }
        try
        {
            var entries = _entries.ToArray();
            var drop = entries.Length - capacity + capacity / 10;
            if (drop <= 0)
            {
                return;
            }
            Array.Sort(entries, static (a, b) => a.Value.LastUse.CompareTo(b.Value.LastUse));
            for (var i = 0; i < drop; i++)
            {
                if (_entries.TryRemove(entries[i]))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
        finally
        {
            _trimLock.Exit();
        }
    }

    /// <summary>Compared by reference (removal must not drop a newer entry of the same user).</summary>
    private sealed class Entry(UserSnapshot snapshot, ModelView? view, long generation, int n, int offset, string? category, ScoredId[] result, long lastUse)
    {
        public UserSnapshot Snapshot { get; } = snapshot;

        public ModelView? View { get; } = view;

        public long Generation { get; } = generation;

        public int N { get; } = n;

        public int Offset { get; } = offset;

        public string? Category { get; } = category;

        public ScoredId[] Result { get; } = result;

        public long LastUse { get; set; } = lastUse;

        public long CreatedTicks { get; init; }
    }
}
