using System.Threading.Channels;
using Fresco.Engine.Experiments;
using Fresco.Engine.Ingest;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Cluster;

/// <summary>
/// Keeps this node's live state following what the other nodes commit: batches from the <see cref="IClusterBus"/> (in
/// milliseconds) and pages of the store's <see cref="IChangeFeed"/> (every <see cref="ClusterOptions.PollInterval"/>,
/// or <see cref="ClusterOptions.FallbackPollInterval"/> while the bus is down: what the bus lost is caught up there),
/// applied in arrival order by one loop: feedback rows through <see cref="FeedbackIngest"/> (a row seen twice counts
/// once), histories, users and items reloaded from the store, the serving model followed, the scenarios and experiments
/// reloaded. A feedback row already applied from the bus is left out of the log's pages (<see cref="BusAppliedRows"/>),
/// so each row costs this node one application; the log still carries every row the bus lost. A change whose
/// application fails (the store is unreachable) is retried, in order, until it succeeds. Thread-safe.
/// </summary>
internal sealed class ChangeFollower : IAsyncDisposable
{
    private const int PageSize = 4096;

    private readonly ClusterServices _cluster;
    private readonly FeedbackIngest _feedback;
    private readonly CatalogIngest _catalog;
    private readonly TrainingLoop _training;
    private readonly ScenarioRegistry _scenarios;
    private readonly ExperimentRegistry _experiments;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Inbound> _inbox = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BusAppliedRows _fromBus = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _apply = Task.CompletedTask;
    private Task _poll = Task.CompletedTask;
    private ChangePosition _position;
    private long _applied;
    private long _skipped;
    private long _lastRead;
    private volatile bool _feedHealthy = true;
    private volatile bool _gap;

    public ChangeFollower(ClusterServices cluster, FeedbackIngest feedback, CatalogIngest catalog, TrainingLoop training,
        ScenarioRegistry scenarios, ExperimentRegistry experiments, TimeProvider time, ILogger logger)
    {
        _scenarios = scenarios;
        _experiments = experiments;
        _cluster = cluster;
        _feedback = feedback;
        _catalog = catalog;
        _training = training;
        _time = time;
        _logger = logger;
    }

    /// <summary>Changes from other nodes applied so far (bus and log; a reload seen on both counts twice, a feedback row once).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Feedback rows of the change log left out because they were applied from the bus.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>False while the change log cannot be read.</summary>
    public bool FeedHealthy => _feedHealthy;

    /// <summary>True once changes were trimmed from the log before this node read them (it must be restarted).</summary>
    public bool Gap => _gap;

    /// <summary>When the change log was last read successfully, or null.</summary>
    public DateTimeOffset? LastRead => Interlocked.Read(ref _lastRead) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Starts following from <paramref name="head"/>, the log position read before the state was loaded.</summary>
    public async Task StartAsync(ChangePosition head, CancellationToken cancellationToken)
    {
        _position = head;
        _apply = Task.Run(() => ApplyLoopAsync(_stopping.Token), CancellationToken.None);
        _poll = Task.Run(() => PollLoopAsync(_stopping.Token), CancellationToken.None);
        if (_cluster.Bus is { } bus)
        {
            var self = _cluster.Options.Node;
            await bus.SubscribeAsync(batch =>
            {
                if (!string.Equals(batch.Origin, self, StringComparison.Ordinal))
                {
                    _inbox.Writer.TryWrite(new Inbound(batch.Changes, Source.Bus));
                }
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _inbox.Writer.TryComplete();
        foreach (var task in new[] { _poll, _apply })
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stopping.Dispose();
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        var options = _cluster.Options;
        var last = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            // Ticks at the fallback rate, so that a bus going down switches to it at once; reads at the slower rate while
            // the bus is up.
            await Task.Delay(options.FallbackPollInterval, _time, cancellationToken).ConfigureAwait(false);
            if (_cluster.Bus is { IsConnected: true } && _time.GetElapsedTime(last) < options.PollInterval)
            {
                continue;
            }
            last = _time.GetTimestamp();
            try
            {
                await ReadLogAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (_feedHealthy)
                {
                    ClusterLog.FeedFailed(_logger, e);
                }
                _feedHealthy = false;
            }
        }
    }

    private async Task ReadLogAsync(CancellationToken cancellationToken)
    {
        var feed = _cluster.Feed;
        if (!_feedHealthy)
        {
            // Back after an outage: the log must still hold what came after our position.
            if (!_gap && await feed.IsTrimmedPastAsync(_position, cancellationToken).ConfigureAwait(false))
            {
                _gap = true;
                ClusterLog.FeedGap(_logger);
            }
            ClusterLog.FeedRecovered(_logger);
        }
        ChangePage page;
        do
        {
            page = await feed.ReadAsync(_position, PageSize, _cluster.Options.Node, cancellationToken).ConfigureAwait(false);
            if (page.Changes.Count > 0)
            {
                _inbox.Writer.TryWrite(new Inbound(page.Changes, Source.Log));
            }
            _position = page.Next;
        }
        while (page.More);
        _inbox.Writer.TryWrite(new Inbound([], Source.PassEnd));
        _feedHealthy = true;
        Interlocked.Exchange(ref _lastRead, _time.GetUtcNow().UtcTicks);
    }

    private async Task ApplyLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var (received, source) in _inbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (source == Source.PassEnd)
            {
                _fromBus.EndPass();
                continue;
            }
            var changes = source == Source.Log ? WithoutBusApplied(received) : received;
            if (changes.Count > 0)
            {
                await ApplyUntilDoneAsync(changes, cancellationToken).ConfigureAwait(false);
            }
            if (source == Source.Bus)
            {
                _fromBus.Add(changes); // once applied: the log's copy of a row still being retried is not left out
            }
        }
    }

    /// <summary>Applies the changes, retrying with a growing pause while their application fails.</summary>
    private async Task ApplyUntilDoneAsync(IReadOnlyList<Change> changes, CancellationToken cancellationToken)
    {
        for (var delay = TimeSpan.FromMilliseconds(100); ; delay = TimeSpan.FromTicks(Math.Min(2 * delay.Ticks, TimeSpan.TicksPerSecond * 2)))
        {
            try
            {
                await ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _applied, changes.Count);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ClusterLog.ApplyFailed(_logger, changes.Count, e);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A log page without the feedback rows already applied from the bus (the same list when there are none).</summary>
    private IReadOnlyList<Change> WithoutBusApplied(IReadOnlyList<Change> changes)
    {
        List<Change>? kept = null;
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i] is { Kind: ChangeKind.Feedback, Feedback: { } row } && _fromBus.TryTake(row))
            {
                kept ??= [.. changes.Take(i)];
                Interlocked.Increment(ref _skipped);
            }
            else
            {
                kept?.Add(changes[i]);
            }
        }
        return kept ?? changes;
    }

    /// <summary>Applies changes in order; consecutive feedback rows go through as one batch.</summary>
    private async Task ApplyAsync(IReadOnlyList<Change> changes, CancellationToken cancellationToken)
    {
        List<Feedback>? rows = null;
        foreach (var change in changes)
        {
            if (change is { Kind: ChangeKind.Feedback, Feedback: { } row })
            {
                (rows ??= []).Add(row);
                continue;
            }
            await FlushAsync(rows).ConfigureAwait(false);
            switch (change.Kind)
            {
                case ChangeKind.UserHistory:
                    await _feedback.RebuildUserLockedAsync(change.Key, cancellationToken).ConfigureAwait(false);
                    break;
                case ChangeKind.User:
                    await _feedback.ApplyUserAsync(change.Key).ConfigureAwait(false);
                    break;
                case ChangeKind.UserDeleted:
                    await _feedback.RemoveUserLockedAsync(change.Key).ConfigureAwait(false);
                    break;
                case ChangeKind.Item:
                    await _catalog.RefreshItemAsync(change.Key, cancellationToken).ConfigureAwait(false);
                    break;
                case ChangeKind.Model:
                    await _training.FollowAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case ChangeKind.Scenario:
                    await _scenarios.ReloadAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case ChangeKind.Experiment:
                    await _experiments.ReloadAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        await FlushAsync(rows).ConfigureAwait(false);
    }

    private async Task FlushAsync(List<Feedback>? rows)
    {
        if (rows is { Count: > 0 })
        {
            await _feedback.ApplyCommittedAsync([.. rows]).ConfigureAwait(false);
            rows.Clear();
        }
    }

    private enum Source : byte
    {
        Bus,
        Log,

        /// <summary>A complete pass over the log ended (no changes).</summary>
        PassEnd,
    }

    private readonly record struct Inbound(IReadOnlyList<Change> Changes, Source Source);
}
