using Microsoft.Extensions.Logging;

namespace Fresco.Engine;

/// <summary>The engine's log messages. Thread-safe (stateless).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Information, "Engine ready: {Users} users, {Items} items, {Events} events, serving model {Version} in {Milliseconds} ms")]
    public static partial void Ready(ILogger logger, int users, int items, long events, long version, long milliseconds);

    [LoggerMessage(2, LogLevel.Information, "Training {Kind}: promoted={Promoted} version={Version} ({Reason}) in {Duration}")]
    public static partial void Trained(ILogger logger, string kind, bool promoted, long version, string reason, TimeSpan duration);

    [LoggerMessage(3, LogLevel.Error, "Scheduled training failed")]
    public static partial void TrainingFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Serving model {Version} ({Kind}); remapped by id: {Remapped}")]
    public static partial void ModelSwapped(ILogger logger, long version, string kind, bool remapped);

    [LoggerMessage(5, LogLevel.Warning, "Building the candidate retriever for model {Version} failed; scoring exactly")]
    public static partial void RetrieverFailed(ILogger logger, long version, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "The store's disk is full: writes are refused (not acknowledged) until space is freed; reads go on")]
    public static partial void StoreFull(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "The store takes writes again")]
    public static partial void StoreWritable(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Scenario {Name} version {Version} serving")]
    public static partial void ScenarioServing(ILogger logger, string name, long version);

    [LoggerMessage(9, LogLevel.Error, "Stored scenario {Name} version {Version} cannot be served and is skipped: {Reason}")]
    public static partial void ScenarioSkipped(ILogger logger, string name, long version, string reason);

    [LoggerMessage(10, LogLevel.Information, "Scenario model {Version} ({Kind}) loaded; {Loaded} non-serving models held")]
    public static partial void ScenarioModelLoaded(ILogger logger, long version, string kind, int loaded);

    [LoggerMessage(11, LogLevel.Warning, "Scenario model {Version} is not stored or does not load; the serving model scores instead (retried after {RetryAfter})")]
    public static partial void ScenarioModelMissing(ILogger logger, long version, TimeSpan retryAfter);

    [LoggerMessage(12, LogLevel.Error, "Stored experiment {Name} cannot be read and is not served: {Reason}")]
    public static partial void ExperimentSkipped(ILogger logger, string name, string reason);

    [LoggerMessage(13, LogLevel.Debug, "Evicted {Count} users inactive for {Ttl}")]
    public static partial void UsersEvicted(ILogger logger, int count, TimeSpan ttl);

    [LoggerMessage(14, LogLevel.Warning, "Reading evicted user {UserId} from the store failed; answering without their history")]
    public static partial void UserLoadFailed(ILogger logger, string userId, Exception exception);

    [LoggerMessage(40, LogLevel.Information, "Id compaction: {Count} dead users' slots released for reuse; {Free} free slots")]
    public static partial void UsersReleased(ILogger logger, int count, int free);

    [LoggerMessage(41, LogLevel.Information, "Id compaction: {Count} deleted items' slots released for reuse")]
    public static partial void ItemsReleased(ILogger logger, int count);

    [LoggerMessage(42, LogLevel.Warning, "Id compaction: reading evicted users' stored rows failed; dead slots are released at the next sweep")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Information, "Retention: {Feedback} feedback rows past Store:FeedbackTtl deleted, {Items} items past Store:ItemTtl no longer recommended")]
    public static partial void Expired(ILogger logger, int feedback, int items);

    [LoggerMessage(31, LogLevel.Warning, "The retention sweep failed; it runs again in {Interval}")]
    public static partial void ExpiryFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(15, LogLevel.Error, "{Count} impressions could not be stored after retries and are lost")]
    public static partial void ImpressionsLost(ILogger logger, int count, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Writing {Count} items shown as read feedback failed")]
    public static partial void ReadFeedbackFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(50, LogLevel.Warning, "Looking {Count} feedback up again for last-touch attribution failed; they stay uncredited")]
    public static partial void RecheckFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(51, LogLevel.Information, "Retention: {Rows} impressions and attributions past Store:ImpressionTtl deleted")]
    public static partial void ImpressionsExpired(ILogger logger, int rows);
}
