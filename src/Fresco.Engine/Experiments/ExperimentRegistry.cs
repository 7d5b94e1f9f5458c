using System.Collections.Immutable;
using System.Text.Json;
using Fresco.Engine.Models;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Experiments;

/// <summary>
/// The experiments being served, by scenario: the store is the truth (<see cref="IExperimentStore"/>), this is its
/// parsed copy. A put is validated (<see cref="ExperimentValidation"/>, against the served scenarios and the stored
/// experiments) before it is stored; <see cref="ReloadAsync"/> brings the copy in line with the store (at start and when
/// another replica announces a change), and has the model each served variant chooses loaded in the background
/// (<c>modelServed</c>). Thread-safe: <see cref="Assign"/> is one volatile read of an immutable map and
/// allocates nothing; writes and reloads run one at a time.
/// </summary>
internal sealed class ExperimentRegistry(IExperimentStore store, ScenarioRegistry scenarios, TimeProvider time, ILogger logger,
    Action<ModelChoice>? modelServed = null) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private ImmutableDictionary<string, ImmutableArray<CompiledExperiment>> _byScenario =
        ImmutableDictionary.Create<string, ImmutableArray<CompiledExperiment>>(StringComparer.Ordinal);

    /// <summary>
    /// The user's variant in the experiment running now on <paramref name="scenario"/>, or null when none runs. When stored
    /// experiments overlap all the same (puts racing on two replicas), the one that starts first (then by name) assigns.
    /// </summary>
    public ExperimentAssignment? Assign(string scenario, string userId)
    {
        if (!Volatile.Read(ref _byScenario).TryGetValue(scenario, out var experiments))
        {
            return null;
        }
        var now = time.GetUtcNow();
        foreach (var experiment in experiments)
        {
            if (experiment.RunsAt(now))
            {
                return experiment.Assign(userId);
            }
        }
        return null;
    }

    /// <summary>Validates and stores the experiment and serves it. Throws <see cref="ExperimentException"/> naming the bad field.</summary>
    public async Task<ExperimentInfo> PutAsync(string name, Experiment definition, CancellationToken cancellationToken)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false);
            ExperimentValidation.Validate(name, definition, scenario => scenarios.Find(scenario) is not null,
                stored.Select(TryParse).OfType<(string, Experiment)>());
            var row = await store.PutExperimentAsync(name, JsonSerializer.Serialize(definition, ExperimentJson.Default.Experiment),
                time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Publish([.. stored.Where(s => s.Name != name), row]);
            return Info(row.Name, row.UpdatedAt, definition);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        StoreValidation.Id(name, nameof(name));
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deleted = await store.DeleteExperimentAsync(name, cancellationToken).ConfigureAwait(false);
            Publish(await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false));
            return deleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Serves what the store holds now. A stored definition that no longer parses is logged and not served.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Publish(await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<ExperimentInfo?> GetAsync(string name, CancellationToken cancellationToken) =>
        await store.GetExperimentAsync(name, cancellationToken).ConfigureAwait(false) is { } row ? Info(row) : null;

    public async Task<IReadOnlyList<ExperimentInfo>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListExperimentsAsync(cancellationToken).ConfigureAwait(false)).Select(Info)];

    public void Dispose() => _writeLock.Dispose();

    private ExperimentInfo Info(StoredExperiment row) => Info(row.Name, row.UpdatedAt, Parse(row));

    private ExperimentInfo Info(string name, DateTimeOffset updatedAt, Experiment definition) =>
        new(name, updatedAt, ExperimentInfo.StatusAt(definition, time.GetUtcNow()), definition);

    private static Experiment Parse(StoredExperiment row) =>
        JsonSerializer.Deserialize(row.Definition, ExperimentJson.Default.Experiment) ?? throw new JsonException("the stored definition is JSON null.");

    private (string Name, Experiment Definition)? TryParse(StoredExperiment row)
    {
        try
        {
            return (row.Name, Parse(row));
        }
        catch (JsonException e)
        {
            EngineLog.ExperimentSkipped(logger, row.Name, e.Message);
            return null;
        }
    }

    /// <summary>Swaps in the map of these rows, by scenario, each scenario's experiments by start then name. Under the write lock.</summary>
    private void Publish(IEnumerable<StoredExperiment> rows)
    {
        var next = rows.Select(TryParse).OfType<(string Name, Experiment Definition)>()
            .Where(e => e.Definition.Variants is { Count: > 0 })
            .Select(e => new CompiledExperiment(e.Name, e.Definition))
            .ToList();
        foreach (var variant in next.SelectMany(e => e.Definition.Variants!))
        {
            if (variant.Model is { } model && modelServed is not null)
            {
                modelServed(ModelChoice.Parse(model, "Model")); // validated at put; loaded before the variant's first request, on every node
            }
        }
        Volatile.Write(ref _byScenario, Group(next));
    }

    private static ImmutableDictionary<string, ImmutableArray<CompiledExperiment>> Group(IEnumerable<CompiledExperiment> experiments) =>
        experiments
            .GroupBy(e => e.Definition.Scenario, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.OrderBy(e => e.Definition.Start).ThenBy(e => e.Name, StringComparer.Ordinal).ToImmutableArray(),
                StringComparer.Ordinal);
}
