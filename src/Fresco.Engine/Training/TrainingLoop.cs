using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using Fresco.Core.Data;
using Fresco.Engine.Cluster;
using Fresco.Engine.Ingest;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Training;

/// <summary>
/// The training loop: snapshots of the live state handed to the <see cref="IModelTrainer"/> (which evaluates the
/// candidate and proposes it to the registry's quality gate), on demand (<see cref="StartRun"/>: a run its caller cannot
/// cancel, only the engine's disposal) and on the
/// schedule (<see cref="TrainingOptions.Interval"/>, <see cref="TrainingOptions.AfterEvents"/>, at most once per
/// <see cref="TrainingOptions.MinInterval"/>); rollbacks. After a run it records the live version the model was
/// trained on (<see cref="ModelRows"/>) and warms the new model's view. In a cluster the schedule runs only while this
/// node holds the <see cref="ITrainerLease"/>, every run and rollback takes the lease's cluster-wide run lock and first
/// follows the store's serving version, and <see cref="FollowAsync"/> swaps in what another node promoted. Users
/// evicted from memory (<see cref="UserEviction"/>) train on their stored histories.
/// Thread-safe: one run at a time.
/// </summary>
internal sealed class TrainingLoop : IAsyncDisposable
{
    private static readonly TimeSpan s_scheduleTick = TimeSpan.FromSeconds(1);

    private readonly EngineState _state;
    private readonly TrainingOptions _options;
    private readonly IModelTrainer _trainer;
    private readonly ModelRegistry _registry;
    private readonly ModelRows _rows;
    private readonly ModelViews _views;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITrainerLease _lease;
    private readonly UserEviction _eviction;
    private readonly bool _sequences;
    private readonly SemaphoreSlim _runLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _schedule = Task.CompletedTask;
    private volatile StrongBox<DateTimeOffset>? _runningSince;
    private volatile TrainingRun[] _recent = [];

    public TrainingLoop(EngineState state, TrainingOptions options, IModelTrainer trainer, ModelRegistry registry, ModelRows rows,
        ModelViews views, UserEviction eviction, ITrainerLease lease, TimeProvider time, ILogger logger)
    {
        _eviction = eviction;
        _lease = lease;
        _state = state;
        _options = options;
        _trainer = trainer;
        _registry = registry;
        _rows = rows;
        _views = views;
        _time = time;
        _logger = logger;
        _sequences = options.UsesEventOrder;
    }

    /// <summary>How many finished runs <see cref="Recent"/> keeps.</summary>
    public const int RecentRuns = 10;

    /// <summary>When the run in progress started, or null when none runs.</summary>
    public DateTimeOffset? RunningSince => _runningSince?.Value;

    /// <summary>The last runs of this process, newest first (at most <see cref="RecentRuns"/>).</summary>
    public IReadOnlyList<TrainingRun> Recent => _recent;

    /// <summary>Starts the schedule (once the state is loaded).</summary>
    public void Start() => _schedule = RunScheduleAsync(_stopping.Token);

    /// <summary>
    /// Starts a run (after the one in progress, if any) that goes on whatever happens to the caller: only the engine's
    /// disposal stops it. The task completes with its report; a failure is logged here, so nobody has to observe it.
    /// </summary>
    public Task<TrainingReport> StartRun()
    {
        var run = RunAsync(_stopping.Token);
        _ = run.ContinueWith(static t => t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return run;
    }

    /// <summary>Starts a run (<see cref="StartRun"/>) and waits for it; <paramref name="cancellationToken"/> stops the wait, not the run.</summary>
    public Task<TrainingReport> TrainNowAsync(CancellationToken cancellationToken) => StartRun().WaitAsync(cancellationToken);

    private async Task<TrainingReport> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            EngineLog.TrainingFailed(_logger, e);
            throw;
        }
    }

    private async Task<TrainingReport> RunLockedAsync(CancellationToken cancellationToken)
    {
        await _runLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        _runningSince = new StrongBox<DateTimeOffset>(_time.GetUtcNow());
        try
        {
            await using var run = await _lease.LockRunAsync(cancellationToken).ConfigureAwait(false);
            await FollowLockedAsync(cancellationToken).ConfigureAwait(false);
            var asOf = _state.Live.Version;
            var taken = _state.TakeEventsSinceTraining();
            TrainingReport report;
            try
            {
                report = await _trainer.TrainAsync(await SnapshotAsync(cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch
            {
                // The run trained nothing: the events it took still count towards the AfterEvents trigger.
                _state.CountWritten(taken);
                throw;
            }
            if (report.Outcome.Version > 0)
            {
                _rows.Trained(report.Outcome.Version, asOf);
            }
            _views.Current();
            _recent = [new TrainingRun(_time.GetUtcNow(), report), .. _recent.Take(RecentRuns - 1)];
            EngineLog.Trained(_logger, report.Kind, report.Outcome.Promoted, report.Outcome.Version, report.Outcome.Reason, report.Duration);
            return report;
        }
        finally
        {
            _runningSince = null;
            _runLock.Release();
            CompactLargeObjectsOnce();
        }
    }

    /// <summary>
    /// A run (and a model swapped out) leaves its large arrays, tens of MB of different sizes each time, as garbage on
    /// the large object heap, which the GC does not compact by default: the holes add up run after run (the soak saw
    /// the LOH at 22 MB with 12 MB of it free, and the GC's committed memory 47 -> 74 MB, with the live heap flat at 29
    /// MB; docs/benchmarks.md "Soak"). So the next full collection compacts it, once: a copy of the live large arrays
    /// every training interval.
    /// </summary>
    private static void CompactLargeObjectsOnce() =>
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;

    public async Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken)
    {
        await _runLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var run = await _lease.LockRunAsync(cancellationToken).ConfigureAwait(false);
            await FollowLockedAsync(cancellationToken).ConfigureAwait(false);
            var outcome = await _registry.RollbackAsync(cancellationToken).ConfigureAwait(false);
            _views.Current();
            return outcome;
        }
        finally
        {
            _runLock.Release();
        }
    }

    /// <summary>Serves the store's serving version when another node changed it (waits for a run in progress here).</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        await _runLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FollowLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _runLock.Release();
        }
    }

    private async Task FollowLockedAsync(CancellationToken cancellationToken)
    {
        if (await _registry.FollowAsync(cancellationToken).ConfigureAwait(false))
        {
            // Trained elsewhere: its own rows are used for the users whose histories match what it was trained on.
            _rows.Restore(_registry.Current, _state.Live);
            _views.Current();
            CompactLargeObjectsOnce();
        }
    }

    /// <summary>Stops the schedule and waits for a run in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _schedule.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _runLock.WaitAsync().ConfigureAwait(false);
        _runLock.Release();
        _stopping.Dispose();
    }

    /// <summary>
    /// The live state as a training snapshot; evicted users' rows are their stored histories; dead users' and deleted
    /// items' slots are released first (<see cref="UserEviction.ReleaseDead"/>, the eviction sweeps' release pass too),
    /// so this model names them "" (a free row or column), as it names the slots the sweeps released before.
    /// </summary>
    private async Task<TrainingSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        using var paused = await _eviction.PauseAsync(cancellationToken).ConfigureAwait(false);
        var evicted = await _eviction.ReadEvictedAsync(cancellationToken).ConfigureAwait(false);
        var live = _state.Live;
        // Dead users' and deleted items' slots are released now (as by the eviction sweeps, which wait meanwhile) and named
        // "" in this model (their rows and columns are empty); new users and items take them.
        _eviction.ReleaseDead(evicted);
        var matrix = live.ToMatrix(evicted);
        var users = new string[matrix.Rows];
        for (var u = 0; u < users.Length; u++)
        {
            users[u] = live.GetUserId(u);
        }
        var itemIds = new string[matrix.Columns];
        for (var i = 0; i < itemIds.Length; i++)
        {
            itemIds[i] = live.GetItemId(i);
        }
        return new TrainingSnapshot(matrix, ModelIdSpace.Of(matrix, users, itemIds), _state.Events, _registry.Current, _registry,
            _options, _sequences ? Sequences(users, itemIds, evicted) : null);
    }

    /// <summary>
    /// Each user's items oldest to newest by their last event (the order of a user's snapshot), one row per positive
    /// pair within the matrix's users and items: the order a sequential model learns from.
    /// </summary>
    private InteractionTable Sequences(string[] users, string[] items, Dictionary<int, UserSnapshot> evicted)
    {
        // Free rows and columns ("") get names of their own here: the table's maps want distinct, non-empty ids.
        static IEnumerable<string> Named(string[] ids) => ids.Select((id, i) => id.Length == 0 ? "\0free" + i.ToString(CultureInfo.InvariantCulture) : id);
        var table = new InteractionTable(IdMap.FromIds(Named(users)), IdMap.FromIds(Named(items)), IdMap.FromIds(["live"]));
        for (var u = 0; u < users.Length; u++)
        {
            var snapshot = _state.Live.SnapshotOf(u, evicted);
            var row = snapshot.Items;
            var weights = snapshot.Weights;
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] < items.Length && weights[i] > 0)
                {
                    table.Add(new Interaction(u, row[i], 0, weights[i], 0));
                }
            }
        }
        return table;
    }

    private async Task RunScheduleAsync(CancellationToken cancellationToken)
    {
        if (_options.Interval <= TimeSpan.Zero && _options.AfterEvents <= 0)
        {
            return;
        }
        var last = _time.GetUtcNow();
        var firstTried = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(s_scheduleTick, _time, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            // The first model is trained as soon as there is enough data (once: a failure waits for the schedule).
            var first = !firstTried && _registry.Current is null;
            var due = first
                || (now - last >= _options.MinInterval
                    && ((_options.Interval > TimeSpan.Zero && now - last >= _options.Interval)
                        || (_options.AfterEvents > 0 && _state.EventsSinceTraining >= _options.AfterEvents)));
            if (!due || _state.Events < _options.MinEvents || !_lease.IsHeld)
            {
                continue;
            }
            last = now;
            firstTried |= first;
            try
            {
                await RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Logged by RunAsync; the schedule goes on.
            }
        }
    }
}
