using System.Collections.Concurrent;
using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;
using Fresco.Engine.Scenarios;

namespace Fresco.Engine.Serving;

/// <summary>
/// The last answer per user, valid while nothing it depends on changed: the user's snapshot (replaced on each of
/// the user's events), the model view that scored (swaps; a scenario's model), the catalog generation (hidden, deleted,
/// re-categorised items), the query and the scenario version with the items its filter and promotion match under the
/// request's parameters (so two parameter values never share an answer); and for at most the time to live. Bounded: an add beyond <c>capacity</c> users schedules one trim
/// off the caller's thread (the thread pool), which drops the least recently used tenth; while it is pending, adds
/// go on (O(1) each) up to twice the capacity, beyond which new answers are not cached. Thread-safe: lookups and adds
/// never lock or wait; one trim runs at a time.
/// </summary>
internal sealed class ResultCache
{
    private static readonly Action<Action> s_threadPool = static work => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly Action<Action> _schedule;
    private readonly Action _trim;
    private int _trimScheduled;
    private long _clock;
    private int _count;
    private long _hits;
    private long _misses;

    /// <param name="schedule">Runs the trim off the caller's thread; default the thread pool.</param>
    public ResultCache(int capacity, TimeSpan ttl, TimeProvider time, Action<Action>? schedule = null)
    {
        _capacity = capacity;
        _ttl = ttl;
        _time = time;
        _schedule = schedule ?? s_threadPool;
        _trim = Trim;
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count => Volatile.Read(ref _count);

    public bool Enabled => _capacity > 0;

    public ScoredId[]? TryGet(string userId, UserSnapshot snapshot, ModelView? view, long generation, RecommendQuery query,
        PageRules rules = default)
    {
        if (_entries.TryGetValue(userId, out var entry)
            && ReferenceEquals(entry.Snapshot, snapshot)
            && ReferenceEquals(entry.View, view)
            && ReferenceEquals(entry.Rules, rules.Rules)
            && ReferenceEquals(entry.FilterItems, rules.FilterItems)
            && ReferenceEquals(entry.PromotedItems, rules.PromotedItems)
            && entry.Generation == generation
            && entry.N == query.N
            && entry.Offset == query.Offset
            && string.Equals(entry.Category, query.Category, StringComparison.Ordinal)
            && _time.GetUtcNow().UtcTicks - entry.CreatedTicks < _ttl.Ticks)
        {
            entry.LastUse = Interlocked.Increment(ref _clock);
            Interlocked.Increment(ref _hits);
            return entry.Result;
        }
        Interlocked.Increment(ref _misses);
        return null;
    }

    public void Add(string userId, UserSnapshot snapshot, ModelView? view, long generation, RecommendQuery query, PageRules rules,
        ScoredId[] result)
    {
        if (Volatile.Read(ref _count) >= 2 * _capacity)
        {
            return; // the trim fell behind: answers are not cached until it caught up (a stale entry never matches)
        }
        var entry = new Entry(snapshot, view, generation, query.N, query.Offset, query.Category, result, Interlocked.Increment(ref _clock))
        {
            Rules = rules.Rules,
            FilterItems = rules.FilterItems,
            PromotedItems = rules.PromotedItems,
            CreatedTicks = _time.GetUtcNow().UtcTicks,
        };
        while (true)
        {
            if (_entries.TryAdd(userId, entry))
            {
                if (Interlocked.Increment(ref _count) > _capacity)
                {
                    ScheduleTrim();
                }
                return;
            }
            if (_entries.TryGetValue(userId, out var old) && _entries.TryUpdate(userId, entry, old))
            {
                return;
            }
        }
    }

    /// <summary>Drops the user's entry (a user evicted from memory: their answer would hold their old snapshot).</summary>
    public void Remove(string userId)
    {
        if (_entries.TryRemove(userId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void ScheduleTrim()
    {
        if (Interlocked.CompareExchange(ref _trimScheduled, 1, 0) == 0)
        {
            _schedule(_trim);
        }
    }

    /// <summary>Drops the least recently used entries down to 90% of the capacity (O(n log n), off request threads).</summary>
    private void Trim()
    {
        try
        {
            var entries = _entries.ToArray();
            var drop = entries.Length - _capacity + _capacity / 10;
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
            Volatile.Write(ref _trimScheduled, 0);
        }
        if (Volatile.Read(ref _count) > _capacity)
        {
            ScheduleTrim(); // adds during the trim passed the capacity again
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

        /// <summary>The scenario version's rules (a new version is a new object).</summary>
        public ScenarioRules? Rules { get; init; }

        /// <summary>The filter's and the promotion's matching items under the request's parameters (one set per set of values).</summary>
        public BitSet? FilterItems { get; init; }

        public BitSet? PromotedItems { get; init; }

        public ScoredId[] Result { get; } = result;

        public long LastUse { get; set; } = lastUse;

        public long CreatedTicks { get; init; }
    }
}
