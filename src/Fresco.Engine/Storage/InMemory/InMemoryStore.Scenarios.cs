namespace Fresco.Engine.Storage.InMemory;

/// <summary>The <see cref="IScenarioStore"/> part of <see cref="InMemoryStore"/>.</summary>
public sealed partial class InMemoryStore
{
    public Task<StoredScenario> PutScenarioAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        lock (_lock)
        {
            var stored = new StoredScenario(name, ++_scenarioVersion, definition, updatedAt.ToUniversalTime());
            _scenarios[name] = stored;
            return Task.FromResult(stored);
        }
    }

    public Task<StoredScenario?> GetScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        lock (_lock)
        {
            return Task.FromResult(_scenarios.GetValueOrDefault(name));
        }
    }

    public Task<IReadOnlyList<StoredScenario>> ListScenariosAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredScenario>>([.. _scenarios.Values]);
        }
    }

    public Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        lock (_lock)
        {
            return Task.FromResult(_scenarios.Remove(name));
        }
    }
}
