namespace Fresco.Engine.Storage;

/// <summary>
/// Named scenarios (business rules per placement), stored so that every replica on one store serves the same. Each put
/// is a new version, numbered by the store: increasing across all scenarios and never reused, even after a delete (so a
/// replica can tell a newer definition from the one it serves). The definition is opaque JSON to the store.
/// Implementations are thread-safe.
/// </summary>
public interface IScenarioStore
{
    /// <summary>Stores a new version of the scenario (created or replaced) and returns it.</summary>
    Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default);

    /// <summary>The scenario's current version, or null when it does not exist.</summary>
    Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every scenario's current version, by name (ordinal).</summary>
    Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the scenario; false when it did not exist.</summary>
    Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default);
}
