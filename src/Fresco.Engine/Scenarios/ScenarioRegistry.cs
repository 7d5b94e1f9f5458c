using System.Collections.Immutable;
using System.Text.Json;
using Fresco.Engine.Catalog;
using Fresco.Engine.Models;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// The scenarios being served, by name: the store is the truth (<see cref="IScenarioStore"/>), this is its compiled copy.
/// A put is checked against the whole catalog and compiled before it is stored (a bad rule is refused, never served);
/// <see cref="ReloadAsync"/> brings the copy in line with the store (at start and when another replica announces a
/// change), compiling only versions it does not serve yet, and has the model a newly served version chooses loaded in
/// the background (<c>modelServed</c>). Each compiled version follows the catalog while it serves.
/// Thread-safe: <see cref="Find"/> is one volatile read of an immutable map; writes and reloads run one at a time.
/// </summary>
internal sealed class ScenarioRegistry(IScenarioStore store, ItemCatalog catalog, TimeProvider time, ILogger logger,
    Action<ModelChoice>? modelServed = null) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private ImmutableDictionary<string, CompiledScenario> _current = ImmutableDictionary.Create<string, CompiledScenario>(StringComparer.Ordinal);

    /// <summary>The compiled scenario of that name, or null. Never blocks.</summary>
    public CompiledScenario? Find(string name) => Volatile.Read(ref _current).GetValueOrDefault(name);

    public int Count => Volatile.Read(ref _current).Count;

    /// <summary>
    /// Checks and compiles the definition against every item of the catalog, stores it as a new version and serves it.
    /// Throws <see cref="ScenarioException"/> (naming the field) for a definition that cannot be served.
    /// </summary>
    public async Task<ScenarioVersion> PutAsync(string name, Scenario definition, CancellationToken cancellationToken)
    {
        StoreValidation.Id(name, nameof(name));
        ArgumentNullException.ThrowIfNull(definition);
        var rules = ScenarioRules.Compile(definition);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            catalog.Attach(rules, static (listener, index, item) => ((ScenarioRules)listener).Check(index, item));
            StoredScenario stored;
            try
            {
                stored = await store.PutScenarioAsync(name, JsonSerializer.Serialize(definition, ScenarioJson.Default.Scenario),
                    time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                catalog.Detach(rules);
                throw;
            }
            var compiled = new CompiledScenario(name, stored.Version, stored.UpdatedAt, definition, rules);
            Publish(Volatile.Read(ref _current).SetItem(name, compiled));
            EngineLog.ScenarioServing(logger, name, stored.Version);
            return compiled.ToVersion();
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
            var deleted = await store.DeleteScenarioAsync(name, cancellationToken).ConfigureAwait(false);
            Publish(Volatile.Read(ref _current).Remove(name));
            return deleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Serves what the store holds now: new versions compiled, deleted scenarios dropped, unchanged ones kept. A stored
    /// definition that no longer compiles is logged and not served (the rest are).
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await store.ListScenariosAsync(cancellationToken).ConfigureAwait(false);
            var current = Volatile.Read(ref _current);
            var next = ImmutableDictionary.CreateBuilder<string, CompiledScenario>(StringComparer.Ordinal);
            foreach (var row in stored)
            {
                if (current.TryGetValue(row.Name, out var served) && served.Version == row.Version)
                {
                    next[row.Name] = served;
                }
                else if (TryCompile(row) is { } compiled)
                {
                    next[row.Name] = compiled;
                }
            }
            Publish(next.ToImmutable());
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Parses a stored definition (JSON) as a <see cref="ScenarioVersion"/>.</summary>
    public static ScenarioVersion Parse(StoredScenario row) =>
        new(row.Name, row.Version, row.UpdatedAt, JsonSerializer.Deserialize(row.Definition, ScenarioJson.Default.Scenario)
            ?? throw new JsonException("the stored definition is JSON null."));

    public void Dispose()
    {
        Publish(ImmutableDictionary.Create<string, CompiledScenario>(StringComparer.Ordinal));
        _writeLock.Dispose();
    }

    private CompiledScenario? TryCompile(StoredScenario row)
    {
        try
        {
            var version = Parse(row);
            var rules = ScenarioRules.Compile(version.Definition);
            catalog.Attach(rules);
            EngineLog.ScenarioServing(logger, row.Name, row.Version);
            if (rules.Model is { } model)
            {
                modelServed?.Invoke(model);
            }
            return new CompiledScenario(row.Name, row.Version, row.UpdatedAt, version.Definition, rules);
        }
        catch (Exception e) when (e is ScenarioException or JsonException)
        {
            EngineLog.ScenarioSkipped(logger, row.Name, row.Version, e.Message);
            return null;
        }
    }

    /// <summary>Swaps the map in and detaches the rules no longer served from the catalog. Under the write lock.</summary>
    private void Publish(ImmutableDictionary<string, CompiledScenario> next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        foreach (var (name, old) in previous)
        {
            if (!next.TryGetValue(name, out var kept) || !ReferenceEquals(kept.Rules, old.Rules))
            {
                old.Rules.Retire(catalog);
            }
        }
    }
}
