using System.Diagnostics;
using Fresco.Engine.Catalog;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Engine;

/// <summary>
/// The embeddable engine: the store is the truth, and the in-memory state (live histories, catalog flags, lists,
/// the serving model) follows it write by write, so every write is visible to the next recommendation once it
/// returns. Writes to one user are serialized (64 striped async locks); catalog writes by one lock; recommendation
/// reads never lock or wait for I/O. The engine does not own the store: dispose the store after the engine.
/// Thread-safe: every member may be called concurrently.
/// </summary>
public sealed partial class FrescoEngine : IFrescoEngine
{
    private const int ListPage = 1000;
    private const int ReplayChunk = 4096;

    private readonly IStore _store;
    private readonly FrescoEngineOptions _options;
    private readonly IModelTrainer _trainer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ModelRegistry _registry;
    private readonly LiveInteractions _live;
    private readonly ItemCatalog _catalog = new();
    private readonly BitSet _users = new();
    private readonly NonPersonalLists _lists;
    private readonly RecommendPipeline _pipeline;
    private readonly Neighbors _neighbors;
    private readonly ResultCache _cache;
    private readonly Func<ServingModel, ICandidateRetriever?>? _retrievers;
    private readonly Lock _viewLock = new();
    private readonly SemaphoreSlim _trainLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile ModelView? _view;
    private Task _schedule = Task.CompletedTask;
    private long _events;
    private long _eventsSinceTraining;
    private volatile bool _ready;

    private FrescoEngine(IStore store, FrescoEngineOptions options, IModelTrainer trainer, TimeProvider time,
        ILoggerFactory loggers, Func<ServingModel, ICandidateRetriever?>? retrievers)
    {
        _store = store;
        _options = options;
        _trainer = trainer;
        _time = time;
        _logger = loggers.CreateLogger<FrescoEngine>();
        _retrievers = retrievers;
        _registry = new ModelRegistry(store, new ModelRegistryOptions { KeepVersions = options.Training.KeepVersions }, time);
        _live = new LiveInteractions(options.Live);
        _lists = new NonPersonalLists(_live, _catalog, time, 2 * options.Recommend.MaxN);
        _pipeline = new RecommendPipeline(_live, _catalog, _lists, options.Recommend);
        var bought = 0UL;
        foreach (var type in options.Live.BoughtTogetherEventTypes)
        {
            bought |= _live.TypeBit(type);
        }
        _neighbors = new Neighbors(_live, _catalog, _pipeline, _users, bought, options.Recommend);
        _cache = new ResultCache(options.Recommend.CacheUsers, options.Recommend.CacheTtl, time);
        Metrics = new EngineMetrics(() => _registry.Current?.Version ?? 0, () => _live.UserCount, () => _live.ItemCount,
            () => Interlocked.Read(ref _events), () => store is IWriteQueue queue ? queue.QueueDepth : 0);
    }

    public IStore Store => _store;

    public ModelRegistry Models => _registry;

    public bool IsReady => _ready;

    public EngineMetrics Metrics { get; }

    /// <summary>The live interaction state (read-only use: writes must go through the engine).</summary>
    public LiveInteractions Live => _live;

    public long CacheHits => _cache.Hits;

    public long CacheMisses => _cache.Misses;

    /// <summary>Feedback events written since the last training run started (the AfterEvents trigger).</summary>
    public long EventsSinceTraining => Interlocked.Read(ref _eventsSinceTraining);

    /// <summary>
    /// Validates <paramref name="options"/>, loads the serving model, registers its user and item ids first (so its
    /// index space is a prefix of the live one), replays users, items and all feedback from the store, and starts the
    /// training schedule (<see cref="TrainingOptions.Interval"/>, <see cref="TrainingOptions.AfterEvents"/>).
    /// <paramref name="retrievers"/> builds an approximate candidate retriever for a serving model (in the background,
    /// used once the catalog exceeds <see cref="RecommendOptions.AnnThreshold"/>); null: always exact scoring.
    /// </summary>
    public static async Task<FrescoEngine> StartAsync(IStore store, FrescoEngineOptions options, IModelTrainer trainer,
        TimeProvider? time = null, ILoggerFactory? loggerFactory = null,
        Func<ServingModel, ICandidateRetriever?>? retrievers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trainer);
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var engine = new FrescoEngine(store, options, trainer, time ?? TimeProvider.System,
            loggerFactory ?? NullLoggerFactory.Instance, retrievers);
        await engine.LoadAsync(cancellationToken).ConfigureAwait(false);
        engine.CurrentView();
        engine._ready = true;
        engine._schedule = engine.RunScheduleAsync(engine._stopping.Token);
        EngineLog.Ready(engine._logger, engine._live.UserCount, engine._live.ItemCount, engine._events,
            engine._registry.Current?.Version ?? 0, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        _ready = false;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _schedule.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _trainLock.WaitAsync().ConfigureAwait(false);
        _trainLock.Release();
        _registry.Dispose();
        Metrics.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The view of the serving model, rebuilt when the registry swapped models (promotion, rollback).</summary>
    private ModelView? CurrentView()
    {
        var serving = _registry.Current;
        var view = _view;
        if (serving is null || ReferenceEquals(view?.Serving, serving))
        {
            return serving is null ? null : view;
        }
        lock (_viewLock)
        {
            view = _view;
            if (ReferenceEquals(view?.Serving, serving))
            {
                return view;
            }
            view = ModelView.Build(serving, _live);
            _view = view;
            EngineLog.ModelSwapped(_logger, serving.Version, serving.Kind, !view.IsIdentity);
        }
        if (_retrievers is not null)
        {
            var built = view;
            _ = Task.Run(() =>
            {
                try
                {
                    built.Retriever = _retrievers(built.Serving);
                }
                catch (Exception e)
                {
                    EngineLog.RetrieverFailed(_logger, built.Serving.Version, e);
                }
            });
        }
        return view;
    }
}
