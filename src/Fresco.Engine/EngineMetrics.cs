using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fresco.Engine;

/// <summary>
/// The engine's instruments on the meter <see cref="MeterName"/>: events ingested (tag <c>type</c>), result-cache
/// hits and misses, users evicted (<c>Live:UserTtl</c>) and loaded back, user and item slots released (id compaction) and reused, feedback and items expired (<c>Store:FeedbackTtl</c>, <c>Store:ItemTtl</c>) and the time of a feedback expiry batch, impressions stored, shed, failed and expired (<c>Store:ImpressionTtl</c>), last-touch rechecks, the store's write queue depth, event-to-visible freshness (ms from the store acknowledging a write to the in-memory state
/// showing it), and gauges of the serving model version, users, items and events. Thread-safe (instruments are).
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "Fresco.Engine";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _events;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Histogram<double> _freshness;
    private readonly Counter<long> _usersEvicted;
    private readonly Counter<long> _usersLoaded;
    private readonly Counter<long> _usersReleased;
    private readonly Counter<long> _feedbackExpired;
    private readonly Counter<long> _itemsExpired;
    private readonly Histogram<double> _expiryBatch;
    private readonly Counter<long> _impressionsStored;
    private readonly Counter<long> _impressionsShed;
    private readonly Counter<long> _impressionsFailed;
    private readonly Counter<long> _impressionsExpired;
    private readonly Counter<long> _attributionRechecks;

    internal EngineMetrics(Func<long> modelVersion, Func<long> users, Func<long> items, Func<long> events, Func<long> queueDepth,
        Func<long>? userSlotsReused = null, Func<long>? itemsReleased = null, Func<long>? itemSlotsReused = null)
    {
        _events = _meter.CreateCounter<long>("events.ingested", "{event}", "Feedback events written, by type.");
        _cacheHits = _meter.CreateCounter<long>("cache.hits", "{request}", "Recommendations answered from the per-user cache.");
        _cacheMisses = _meter.CreateCounter<long>("cache.misses", "{request}", "Recommendations computed (cache enabled, no valid entry).");
        _freshness = _meter.CreateHistogram<double>("event.freshness", "ms",
            "Time from the store acknowledging a feedback write to the in-memory state showing it.");
        _usersEvicted = _meter.CreateCounter<long>("users.evicted", "{user}", "Users whose history left memory after Live:UserTtl of inactivity.");
        _usersLoaded = _meter.CreateCounter<long>("users.loaded", "{user}", "Evicted users read back from the store for a request or training.");
        _usersReleased = _meter.CreateCounter<long>("users.released", "{user}",
            "Index slots of dead users (deleted, or evicted with no stored feedback) released by an eviction sweep or a training snapshot, for new users to reuse.");
        _feedbackExpired = _meter.CreateCounter<long>("feedback.expired", "{event}", "Feedback rows deleted past Store:FeedbackTtl.");
        _itemsExpired = _meter.CreateCounter<long>("items.expired", "{item}", "Items no longer recommended past Store:ItemTtl.");
        _expiryBatch = _meter.CreateHistogram<double>("feedback.expiry_batch", "ms",
            "Time one feedback TTL batch took in the store, queueing included (writes queued behind it wait at most that long).");
        _impressionsStored = _meter.CreateCounter<long>("impressions.stored", "{impression}", "Recommendation answers stored as impressions.");
        _impressionsShed = _meter.CreateCounter<long>("impressions.shed", "{impression}",
            "Impressions dropped because the writer's queue was full (the answer was not slowed).");
        _impressionsFailed = _meter.CreateCounter<long>("impressions.failed", "{impression}",
            "Impressions lost because the store refused them after retries.");
        _impressionsExpired = _meter.CreateCounter<long>("impressions.expired", "{row}",
            "Impressions and attributions deleted past Store:ImpressionTtl.");
        _attributionRechecks = _meter.CreateCounter<long>("attribution.rechecks", "{feedback}",
            "Feedback looked up again after Attribution:Recheck (cluster nodes), by outcome: credited, uncredited, shed (queue full), failed.");
        _meter.CreateObservableGauge("model.version", modelVersion, null, "Version of the serving model (0: none).");
        _meter.CreateObservableGauge("users", users, "{user}", "Users known to the live state (released slots not counted).");
        _meter.CreateObservableCounter("users.slots_reused", userSlotsReused ?? (() => 0L), "{user}",
            "New users given the index slot of a released dead user instead of a new one.");
        _meter.CreateObservableCounter("items.released", itemsReleased ?? (() => 0L), "{item}",
            "Index slots of deleted items no history refers to, released by an eviction sweep or a training snapshot for new items to reuse.");
        _meter.CreateObservableCounter("items.slots_reused", itemSlotsReused ?? (() => 0L), "{item}",
            "New items given the index slot of a released deleted item instead of a new one.");
        _meter.CreateObservableGauge("items", items, "{item}", "Items known to the live state (released slots not counted).");
        _meter.CreateObservableGauge("events", events, "{event}", "Feedback rows reflected in the live state.");
        _meter.CreateObservableGauge("ingest.queue_depth", queueDepth, "{write}",
            "Store writes queued for the group-commit writer (0 for stores without a queue).");
    }

    /// <summary>This engine's meter (several engines in one process each have their own).</summary>
    internal Meter Meter => _meter;

    internal void EventIngested(string type) => _events.Add(1, new KeyValuePair<string, object?>("type", type));

    internal void CacheHit() => _cacheHits.Add(1);

    internal void CacheMiss() => _cacheMisses.Add(1);

    internal void Freshness(long startTimestamp) => _freshness.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    internal void UsersEvicted(int count) => _usersEvicted.Add(count);

    internal void UserLoaded() => _usersLoaded.Add(1);

    internal void UsersReleased(int count) => _usersReleased.Add(count);

    internal void Expired(int feedback, int items)
    {
        _feedbackExpired.Add(feedback);
        _itemsExpired.Add(items);
    }

    internal void ExpiryBatch(TimeSpan took) => _expiryBatch.Record(took.TotalMilliseconds);

    internal void ImpressionsStored(int count) => _impressionsStored.Add(count);

    internal void ImpressionShed() => _impressionsShed.Add(1);

    internal void ImpressionsFailed(int count) => _impressionsFailed.Add(count);

    internal void ImpressionsExpired(int rows) => _impressionsExpired.Add(rows);

    internal void AttributionRecheck(string outcome, int count = 1) =>
        _attributionRechecks.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
