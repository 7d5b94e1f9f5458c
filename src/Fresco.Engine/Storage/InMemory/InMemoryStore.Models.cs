namespace Fresco.Engine.Storage.InMemory;

/// <summary>The <see cref="IModelStore"/> part of <see cref="InMemoryStore"/>: artifacts as byte arrays.</summary>
public sealed partial class InMemoryStore
{
    public async Task<ModelVersion> SaveModelAsync(long version, string kind, DateTimeOffset createdAt,
        IReadOnlyDictionary<string, double> metrics, Stream content, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        var saved = new ModelVersion(version, kind, createdAt.ToUniversalTime(), new Dictionary<string, double>(metrics),
            bytes.Length, IsServing: false);
        lock (_lock)
        {
            if (!_models.TryAdd(version, (saved, bytes)))
            {
                throw new InvalidOperationException($"Model version {version} already exists.");
            }
        }

        return saved;
    }

    public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ModelVersion>>([.. _models.Reverse().Select(e => WithServing(e.Value.Meta))]);
        }
    }

    public Task<Stream?> OpenModelAsync(long version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<Stream?>(_models.TryGetValue(version, out var model)
                ? new MemoryStream(model.Bytes, writable: false)
                : null);
        }
    }

    public Task<int> PruneModelsAsync(int keep, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        lock (_lock)
        {
            var doomed = _models.Keys.Reverse().Skip(keep).Where(v => v != _serving).ToList();
            foreach (var version in doomed)
            {
                _models.Remove(version);
            }

            return Task.FromResult(doomed.Count);
        }
    }

    public Task<bool> PromoteModelAsync(long version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_models.ContainsKey(version))
            {
                return Task.FromResult(false);
            }

            _serving = version;
            return Task.FromResult(true);
        }
    }

    public Task<ModelVersion?> GetServingModelAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_serving is { } v && _models.TryGetValue(v, out var model) ? WithServing(model.Meta) : null);
        }
    }

    private ModelVersion WithServing(ModelVersion meta) => meta with { IsServing = meta.Version == _serving };
}
