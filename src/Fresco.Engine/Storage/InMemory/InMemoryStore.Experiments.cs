namespace Fresco.Engine.Storage.InMemory;

/// <summary>The <see cref="IExperimentStore"/> part of <see cref="InMemoryStore"/>.</summary>
public sealed partial class InMemoryStore
{
    public Task<StoredExperiment> PutExperimentAsync(string name, string definition, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        lock (_lock)
        {
            var stored = new StoredExperiment(name, definition, updatedAt.ToUniversalTime());
            _experiments[name] = stored;
            return Task.FromResult(stored);
        }
    }

    public Task<StoredExperiment?> GetExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        lock (_lock)
        {
            return Task.FromResult(_experiments.GetValueOrDefault(name));
        }
    }

    public Task<IReadOnlyList<StoredExperiment>> ListExperimentsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredExperiment>>([.. _experiments.Values]);
        }
    }

    public Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(name, nameof(name));
        lock (_lock)
        {
            return Task.FromResult(_experiments.Remove(name));
        }
    }
}
