namespace Fresco.Engine.Storage;

/// <summary>
/// Trained model artifacts by version, plus which version is being served. Implementations are thread-safe; a
/// saved version is complete or absent, never partial.
/// </summary>
public interface IModelStore
{
    /// <summary>Stores an artifact. Throws <see cref="InvalidOperationException"/> when the version already exists.</summary>
    Task<ModelVersion> SaveModelAsync(
        long version,
        string kind,
        DateTimeOffset createdAt,
        IReadOnlyDictionary<string, double> metrics,
        Stream content,
        CancellationToken cancellationToken = default);

    /// <summary>All versions, newest (highest version id) first.</summary>
    Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a version's bytes for reading (the caller disposes), or null when absent.</summary>
    Task<Stream?> OpenModelAsync(long version, CancellationToken cancellationToken = default);

    /// <summary>Deletes all but the newest <paramref name="keep"/> versions; never the serving one. Returns the count deleted.</summary>
    Task<int> PruneModelsAsync(int keep, CancellationToken cancellationToken = default);

    /// <summary>Marks a version as the serving one (unmarking the previous). Returns false when the version is absent.</summary>
    Task<bool> PromoteModelAsync(long version, CancellationToken cancellationToken = default);

    /// <summary>The serving version, or null when none was promoted.</summary>
    Task<ModelVersion?> GetServingModelAsync(CancellationToken cancellationToken = default);
}
