using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;

namespace Fresco.Engine;

/// <summary>
/// The in-memory state the engine's three parts share: live histories and item counters (<see cref="Live"/>), the
/// catalog's flags and categories (<see cref="Catalog"/>), the
/// non-personalised lists, and the event counts. Ingest writes it (after the store committed), serving reads it,
/// the training loop snapshots it. Thread-safe: each part is; the counts are interlocked.
/// </summary>
internal sealed class EngineState
{
    private long _events;
    private volatile bool _ready;
    private long _eventsSinceTraining;

    public EngineState(LiveOptions live, RecommendOptions recommend, TimeProvider time)
    {
        Live = new LiveInteractions(live, time);
        Lists = new NonPersonalLists(Live, Catalog, time, 2 * recommend.MaxN);
    }

    public LiveInteractions Live { get; }

    /// <summary>True once the state was loaded from the store (until the engine stops).</summary>
    public bool Ready
    {
        get => _ready;
        set => _ready = value;
    }

    public ItemCatalog Catalog { get; } = new();

    public NonPersonalLists Lists { get; }

    /// <summary>Feedback rows reflected in the live state.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Feedback events written since the last training run started (the AfterEvents trigger).</summary>
    public long EventsSinceTraining => Interlocked.Read(ref _eventsSinceTraining);

    public void AddEvents(long count) => Interlocked.Add(ref _events, count);

    public void CountWritten(long count) => Interlocked.Add(ref _eventsSinceTraining, count);

    /// <summary>Restarts the count behind the AfterEvents trigger; returns what it was.</summary>
    public long TakeEventsSinceTraining() => Interlocked.Exchange(ref _eventsSinceTraining, 0);

    /// <summary>The live index of an existing user.</summary>
    public bool TryGetUser(string userId, out int userIndex)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Live.TryGetUser(userId, out userIndex, out _);
    }

    /// <summary>The live index of an existing item.</summary>
    public bool TryGetItem(string itemId, out int itemIndex)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        return Live.TryGetItemIndex(itemId, out itemIndex) && Catalog.Exists(itemIndex);
    }
}
