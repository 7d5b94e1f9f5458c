namespace Fresco.Engine.Storage;

/// <summary>
/// Named A/B experiments, stored so that every replica on one store assigns users alike. A put creates or replaces the
/// experiment; the definition is opaque JSON to the store. Implementations are thread-safe.
/// </summary>
public interface IExperimentStore
{
    /// <summary>Stores the experiment (created or replaced) and returns it.</summary>
    Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default);

    /// <summary>The experiment, or null when it does not exist.</summary>
    Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every experiment, by name (ordinal).</summary>
    Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the experiment; false when it did not exist.</summary>
    Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default);
}
