using System.Collections.Concurrent;
using System.Collections.Immutable;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Fresco.Engine.Scenarios;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Serving;

/// <summary>
/// The models that score besides the serving one (a scenario's or a query's <see cref="ModelChoice"/>): at most
/// <c>capacity</c> stored versions loaded from the model store off the request path and kept as immutable
/// <see cref="ModelView"/>s (the least recently used dropped first), so the pipeline folds a user's live history into
/// them as into the serving model. A choice resolves per request against <see cref="ModelRegistry.Stored"/>, which the
/// registry refreshes on every proposal, rollback and follow, so the replicas of a cluster resolve alike. A version not
/// loaded yet is loaded in the background while the serving model answers; one that is missing or does not load is
/// tried again after a minute. Thread-safe: <see cref="ViewFor"/> is a few volatile reads and never waits; loads run on
/// the thread pool, one per version at a time, and swap the map atomically.
/// </summary>
internal sealed class ScenarioModels(ModelRegistry registry, ModelViews views, LiveInteractions live,
    Func<ServingModel, ICandidateRetriever?>? retrievers, int capacity, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan s_retryAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, Task<ModelView?>> _loading = new();
    private readonly ConcurrentDictionary<long, long> _failedAt = new();
    private readonly Lock _lock = new();
    private ImmutableDictionary<long, Held> _held = ImmutableDictionary<long, Held>.Empty;
    private long _clock;

    /// <summary>How many non-serving models are loaded now.</summary>
    public int Count => Volatile.Read(ref _held).Count;

    /// <summary>
    /// The view that scores for <paramref name="choice"/> (null: the serving model): the serving view when the choice
    /// resolves to it, to nothing, or to a version still loading (whose load this starts); null when nothing is served.
    /// </summary>
    public ModelView? ViewFor(ModelChoice? choice)
    {
        var serving = views.Current();
        if (choice is null)
        {
            return serving;
        }
        var version = choice.Resolve(serving?.Serving, registry.Stored);
        if (version == 0 || version == serving?.Serving.Version)
        {
            return serving;
        }
        if (Volatile.Read(ref _held).TryGetValue(version, out var held))
        {
            held.LastUse = Interlocked.Increment(ref _clock);
            return held.View;
        }
        if (!_failedAt.TryGetValue(version, out var failed) || time.GetUtcNow().UtcTicks - failed >= s_retryAfter.Ticks)
        {
            _ = LoadAsync(version);
        }
        return serving;
    }

    /// <summary>
    /// Checks that <paramref name="choice"/> (a scenario being written) names a model that exists and loads it, so the
    /// scenario answers from it from its first request on this node; throws <see cref="ScenarioException"/> naming
    /// <paramref name="where"/> otherwise.
    /// </summary>
    public async Task PrepareAsync(ModelChoice choice, string where, CancellationToken cancellationToken)
    {
        var serving = views.Current()?.Serving;
        var version = choice.Resolve(serving, registry.Stored);
        if (version == 0)
        {
            throw new ScenarioException(where, $"no stored model of kind '{choice.Kind}' passed the quality gate; train one first " +
                $"(stored: {Describe(registry.Stored)}).");
        }
        if (version == serving?.Version)
        {
            return;
        }
        if (await LoadAsync(version).WaitAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ScenarioException(where, $"model version {version} is not stored or does not load (stored: {Describe(registry.Stored)}).");
        }
    }

    /// <summary>Starts loading the model a scenario served from now on chooses, unless it is the serving one or held.</summary>
    public void Preload(ModelChoice choice) => ViewFor(choice);

    /// <summary>Loads a version once (concurrent callers share the load), holds it and answers its view; null when it does not load.</summary>
    private Task<ModelView?> LoadAsync(long version) =>
        _loading.GetOrAdd(version, v => Task.Run(async () =>
        {
            try
            {
                return await LoadNowAsync(v).ConfigureAwait(false);
            }
            finally
            {
                _loading.TryRemove(v, out _);
            }
        }));

    private async Task<ModelView?> LoadNowAsync(long version)
    {
        if (Volatile.Read(ref _held).TryGetValue(version, out var held))
        {
            return held.View;
        }
        var model = await registry.TryLoadStoredAsync(version).ConfigureAwait(false);
        if (model is null)
        {
            _failedAt[version] = time.GetUtcNow().UtcTicks;
            EngineLog.ScenarioModelMissing(logger, version, s_retryAfter);
            return null;
        }
        _failedAt.TryRemove(version, out _);
        var view = ModelView.Build(model, live);
        lock (_lock)
        {
            var next = _held.SetItem(version, new Held(view) { LastUse = Interlocked.Increment(ref _clock) });
            while (next.Count > capacity)
            {
                next = next.Remove(next.MinBy(h => h.Value.LastUse).Key);
            }
            Volatile.Write(ref _held, next);
            EngineLog.ScenarioModelLoaded(logger, version, model.Kind, next.Count);
        }
        if (retrievers is not null)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    view.Retriever = retrievers(model);
                }
                catch (Exception e)
                {
                    EngineLog.RetrieverFailed(logger, version, e);
                }
            });
        }
        return view;
    }

    private static string Describe(IReadOnlyList<Fresco.Engine.Storage.ModelVersion> stored) =>
        stored.Count == 0 ? "none" : string.Join(", ", stored.Select(v => $"{v.Version} {v.Kind}" +
            (v.Metrics.ContainsKey(ModelRegistry.RejectedMarker) ? " (rejected)" : "")));

    private sealed class Held(ModelView view)
    {
        public ModelView View { get; } = view;

        public long LastUse
        {
            get => Volatile.Read(ref field);
            set => Volatile.Write(ref field, value);
        }
    }
}
