using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Serialization;
using Fresco.Engine.Storage;
using Fresco.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Engine.Models;

/// <summary>
/// The served model, swapped atomically while requests run, and the list of stored versions (<see cref="Stored"/>) from
/// which other versions can be loaded (<see cref="TryLoadStoredAsync"/>: a scenario's model). Thread-safe:
/// <see cref="Current"/> and <see cref="Stored"/> are one volatile read each (no lock); writers (<see cref="LoadAsync"/>, <see cref="ProposeAsync"/>, <see cref="RollbackAsync"/>) are
/// serialized by a semaphore and persist every decision in the <see cref="IModelStore"/> before swapping, so a
/// restart comes back with the last promoted model.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    /// <summary>Metric key stored (value 1) with candidates the gate rejected; rollbacks skip those versions.</summary>
    public const string RejectedMarker = "registry.rejected";

    private readonly IModelStore _store;
    private readonly ModelRegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private volatile ServingModel? _current;
    private volatile IReadOnlyList<ModelVersion> _stored = [];

    /// <param name="logger">Where a serving version that does not load at start-up is reported; default none.</param>
    public ModelRegistry(IModelStore store, ModelRegistryOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _options = options ?? new ModelRegistryOptions();
        _options.Validate();
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The model to serve now, or null before the first promotion. Read it once per request.</summary>
    public ServingModel? Current => _current;

    /// <summary>
    /// The stored versions (newest first) as of this registry's last load, follow, proposal or rollback: what a
    /// scenario's model kind resolves against without reading the store. One volatile read.
    /// </summary>
    public IReadOnlyList<ModelVersion> Stored => _stored;

    /// <summary>
    /// Loads a stored version without serving it (a scenario's model), or null when it is not stored or does not load
    /// (logged). Reads the store; never blocks the writers.
    /// </summary>
    public async Task<ServingModel?> TryLoadStoredAsync(long version, CancellationToken cancellationToken = default)
    {
        if (_current is { } current && current.Version == version)
        {
            return current;
        }
        var stored = _stored.FirstOrDefault(v => v.Version == version)
            ?? (await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version == version);
        return stored is null ? null : await TryLoadVersionAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads the store's serving version (if any) as <see cref="Current"/>. When its content is missing or does not load,
    /// serves the newest older version the gate did not reject that loads, else nothing, and logs it as an error: a
    /// broken artifact never stops start-up. The store's serving mark is left as it is (the next promotion replaces
    /// it). Returns whether a version was loaded.
    /// </summary>
    public async Task<bool> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stored = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            var serving = await _store.GetServingModelAsync(cancellationToken).ConfigureAwait(false);
            if (serving is null)
            {
                return false;
            }

            _current = await TryLoadVersionAsync(serving, cancellationToken).ConfigureAwait(false)
                ?? await FallBackAsync(serving.Version, cancellationToken).ConfigureAwait(false);
            return _current is not null;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Serves the store's serving version when it differs from <see cref="Current"/> (another node of a cluster promoted
    /// or rolled back): the store is the cluster's record of what serves. A version that does not load is logged and
    /// the current model kept. Returns whether the served model changed.
    /// </summary>
    public async Task<bool> FollowAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stored = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            var serving = await _store.GetServingModelAsync(cancellationToken).ConfigureAwait(false);
            if (serving is null || serving.Version == _current?.Version
                || await TryLoadVersionAsync(serving, cancellationToken).ConfigureAwait(false) is not { } loaded)
            {
                return false;
            }
            _current = loaded;
            return true;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Stores <paramref name="candidate"/> (with its <paramref name="ids"/>) as a new version and promotes it when nothing is served or it passes
    /// <paramref name="gate"/> against the serving model's metric on the same hold-out; otherwise keeps it stored
    /// as rejected. Then prunes to <see cref="ModelRegistryOptions.KeepVersions"/>.
    /// </summary>
    public async Task<RegistryOutcome> ProposeAsync(IRecommender candidate, ModelIdSpace ids, CandidateReport report,
        QualityGate gate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(ids);
        ids.CheckMatches(candidate);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(report.CandidateMetrics);
        ArgumentNullException.ThrowIfNull(gate);
        gate.Validate();
        var bytes = new MemoryStream();
        using (var writer = new ModelWriter(bytes, leaveOpen: true))
        {
            ids.Write(writer);
        }
        ModelCatalog.Save(candidate, bytes);

        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _current;
            var (promote, reason) = Decide(current, report, gate);
            var metrics = new Dictionary<string, double>(report.CandidateMetrics);
            if (!promote)
            {
                metrics[RejectedMarker] = 1;
            }

            var versions = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            var version = Math.Max(versions.Count == 0 ? 0 : versions.Max(v => v.Version), current?.Version ?? 0) + 1;
            bytes.Position = 0;
            await _store.SaveModelAsync(version, candidate.Kind, _time.GetUtcNow(), metrics, bytes, cancellationToken)
                .ConfigureAwait(false);
            if (promote)
            {
                await PromoteAsync(new ServingModel(version, candidate, ids, candidate.Kind, metrics, default), cancellationToken)
                    .ConfigureAwait(false);
            }

            await _store.PruneModelsAsync(_options.KeepVersions, cancellationToken).ConfigureAwait(false);
            _stored = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            return new RegistryOutcome(promote, version, reason);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Serves again the newest stored version older than the current one that the gate did not reject. Returns a
    /// non-promoted outcome (version -1) when nothing is served or there is nothing older to go back to.
    /// </summary>
    public async Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _current;
            if (current is null)
            {
                return new RegistryOutcome(false, -1, "nothing is being served, so there is nothing to roll back from");
            }

            var versions = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);
            _stored = versions;
            var target = versions.FirstOrDefault(v => v.Version < current.Version && !v.Metrics.ContainsKey(RejectedMarker));
            if (target is null)
            {
                return new RegistryOutcome(false, -1, $"no stored version older than {current.Version} to roll back to");
            }

            await PromoteAsync(await LoadVersionAsync(target, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
            return new RegistryOutcome(true, target.Version, $"rolled back from version {current.Version}");
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose() => _writer.Dispose();

    private static (bool Promote, string Reason) Decide(ServingModel? current, CandidateReport report, QualityGate gate)
    {
        var tooSmall = report.HoldoutUsers >= 0 && report.HoldoutUsers < gate.MinHoldoutUsers;
        var holdoutNote = tooSmall
            ? string.Create(CultureInfo.InvariantCulture,
                $"the hold-out has {report.HoldoutUsers} users, fewer than the {gate.MinHoldoutUsers} needed to tell models apart")
            : null;
        if (current is null)
        {
            return (true, holdoutNote is null ? "no model is being served" : "no model is being served; untested: " + holdoutNote);
        }
        if (holdoutNote is not null)
        {
            return (true, "untested: " + holdoutNote + "; the newer model serves");
        }

        if (!report.CandidateMetrics.TryGetValue(gate.MetricName, out var candidate))
        {
            throw new ArgumentException($"The candidate's metrics lack '{gate.MetricName}'.", nameof(report));
        }

        if (report.ServingMetricsOnSameHoldout is null
            || !report.ServingMetricsOnSameHoldout.TryGetValue(gate.MetricName, out var serving))
        {
            throw new ArgumentException(
                $"The serving model's '{gate.MetricName}' on the same hold-out is required while a model is served.", nameof(report));
        }

        var threshold = serving * (1 - gate.Margin);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{gate.MetricName} {candidate:G6} vs serving {serving:G6} (threshold {threshold:G6}, margin {gate.Margin:G6})");
        return candidate >= threshold ? (true, "passed: " + text) : (false, "rejected: " + text);
    }

    private async Task PromoteAsync(ServingModel next, CancellationToken cancellationToken)
    {
        if (!await _store.PromoteModelAsync(next.Version, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Model version {next.Version} vanished from the store before promotion.");
        }

        _current = next with { PromotedAt = _time.GetUtcNow() };
    }

    /// <summary>The newest older, not rejected version that loads, or null; logs what it serves instead of <paramref name="broken"/>.</summary>
    private async Task<ServingModel?> FallBackAsync(long broken, CancellationToken cancellationToken)
    {
        var versions = await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.Where(v => v.Version < broken && !v.Metrics.ContainsKey(RejectedMarker)))
        {
            if (await TryLoadVersionAsync(version, cancellationToken).ConfigureAwait(false) is { } loaded)
            {
                RegistryLog.ServingFallback(_logger, loaded.Version, broken);
                return loaded;
            }
        }
        RegistryLog.NoModelLoads(_logger, broken);
        return null;
    }

    /// <summary>Loads a version, or logs why it does not load and answers null.</summary>
    private async Task<ServingModel?> TryLoadVersionAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        try
        {
            return await LoadVersionAsync(version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RegistryLog.VersionUnloadable(_logger, version.Version, e);
            return null;
        }
    }

    private async Task<ServingModel> LoadVersionAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var stream = await _store.OpenModelAsync(version.Version, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Model version {version.Version} is listed but its content is missing.");
        await using (stream.ConfigureAwait(false))
        {
            ModelIdSpace ids;
            using (var reader = new ModelReader(stream, leaveOpen: true))
            {
                ids = ModelIdSpace.Read(reader);
            }
            var model = ModelCatalog.Load(stream);
            ids.CheckMatches(model);
            return new ServingModel(version.Version, model, ids, model.Kind, version.Metrics, _time.GetUtcNow());
        }
    }
}
