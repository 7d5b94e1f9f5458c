namespace Fresco.Engine.Storage;

/// <summary>
/// Recommendation answers as shown (<see cref="Impression"/>) and the feedback attributed to them
/// (<see cref="Attribution"/>), for rotation, attribution and experiment outcomes. Writes are batched by the engine off
/// the request path. Implementations are thread-safe.
/// </summary>
public interface IImpressionStore
{
    /// <summary>Stores the impressions; an id already stored is kept as it is (a batch written twice counts once).</summary>
    Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken cancellationToken = default);

    /// <summary>The impression of that id, or null.</summary>
    Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> impressions of known users at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Last touch from the record: the id of the newest impression of <paramref name="userId"/> dated from
    /// <paramref name="from"/> to <paramref name="to"/> (both included) that showed <paramref name="itemId"/>, or null.
    /// </summary>
    Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Impressions TTL: deletes up to <paramref name="max"/> impressions dated before <paramref name="cutoff"/> and up to
    /// <paramref name="max"/> attributions dated before it, oldest first, as one write; returns how many rows went (both
    /// together; 0 when nothing older is left). An attribution outlives its impression until its own time passes the
    /// cutoff (outcomes read from the impressions, so it no longer counts).
    /// </summary>
    Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default);

    /// <summary>Stores the attributions; a key already stored is kept as it is. Returns how many were new.</summary>
    Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken = default);

    /// <summary>The attributions to one answer, by time then feedback type, user and item.</summary>
    Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per (user, variant) of the experiment: impressions of known users with a variant, and the clicks, carts, purchases
    /// and purchase revenue attributed to them; ordered by user, then variant. Empty for an unknown experiment.
    /// </summary>
    Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken cancellationToken = default);
}
