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
