namespace Fresco.Client;

// The API's JSON shapes (Gorse's PascalCase field names). Timestamps are RFC 3339 strings on the wire and
// DateTimeOffset here. Immutable values.

public sealed record FrescoUser(string UserId, IReadOnlyList<string>? Labels = null, string? Comment = null);

public sealed record FrescoItem(string ItemId, bool IsHidden = false, IReadOnlyList<string>? Categories = null,
    IReadOnlyList<string>? Labels = null, string? Comment = null, DateTimeOffset? Timestamp = null);

/// <summary>A feedback row; a null <see cref="Timestamp"/> on a write means "now" on the server.</summary>
public sealed record FrescoFeedback(string FeedbackType, string UserId, string ItemId, double Value = 0, DateTimeOffset? Timestamp = null);

/// <summary>The body of <c>PATCH /api/user/{id}</c>: null fields are left unchanged.</summary>
public sealed record FrescoUserPatch(IReadOnlyList<string>? Labels = null, string? Comment = null);

/// <summary>The body of <c>PATCH /api/item/{id}</c>: null fields are left unchanged.</summary>
public sealed record FrescoItemPatch(bool? IsHidden = null, IReadOnlyList<string>? Categories = null, IReadOnlyList<string>? Labels = null,
    string? Comment = null, DateTimeOffset? Timestamp = null);

/// <summary>One entry of a list: an item (or user) id, its score, and with explain the recommender that produced it.</summary>
public sealed record ScoredId(string Id, double Score, string? Source = null);

public sealed record WriteResult(int RowAffected);

public sealed record UserPage(string Cursor, IReadOnlyList<FrescoUser> Users);

public sealed record ItemPage(string Cursor, IReadOnlyList<FrescoItem> Items);

public sealed record FeedbackPage(string Cursor, IReadOnlyList<FrescoFeedback> Feedback);

public sealed record ModelVersion(long Version, string Kind, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, double> Metrics,
    long SizeBytes, bool IsServing);

public sealed record ModelsInfo(long? Serving, string? ServingKind, IReadOnlyList<ModelVersion> Versions);

public sealed record TrainingResult(bool Promoted, long Version, string Reason, string Kind, int Users, int Items, long Events,
    IReadOnlyDictionary<string, double> CandidateMetrics, IReadOnlyDictionary<string, double>? ServingMetrics, double DurationSeconds);

public sealed record RegistryOutcome(bool Promoted, long Version, string Reason);

public sealed record Health(bool Live, bool Ready);

public sealed record TrainingRun(DateTimeOffset FinishedAt, TrainingResult Run);

public sealed record LatencyHistogram(long Count, double TotalSeconds, IReadOnlyList<long> Buckets);

/// <summary>The dashboard's overview: the engine's status (see docs/dashboard.md).</summary>
public sealed record Overview(bool Ready, int Users, int Items, long Feedback, long? ServingVersion, string? ServingKind,
    IReadOnlyDictionary<string, double>? ServingMetrics, DateTimeOffset? TrainingSince, long EventsSinceTraining,
    IReadOnlyList<TrainingRun> TrainingRuns, long CacheHits, long CacheMisses, int QueueDepth, LatencyHistogram RecommendLatency,
    IReadOnlyList<string>? ClusterNodes);
