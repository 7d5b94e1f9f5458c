using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Cluster;

/// <summary>This node's view of the cluster, as GET /api/cluster shows it. Immutable.</summary>
/// <param name="Node">This node's id.</param>
/// <param name="Leader">The node holding the trainer lease (as last reported within the node timeout), or null.</param>
/// <param name="ServingVersion">The model version this node serves, or null.</param>
/// <param name="Nodes">Every node heard from within the node timeout (this one included), by id.</param>
public sealed record ClusterView(string Node, string? Leader, long? ServingVersion, IReadOnlyList<NodeInfo> Nodes);

/// <summary>This node's part in the cluster, for health and status. Immutable.</summary>
/// <param name="Node">This node's id.</param>
/// <param name="Role">all, serve or trainer.</param>
/// <param name="Trainer">This node holds the trainer lease.</param>
/// <param name="BusConnected">The bus is connected (false without a bus).</param>
/// <param name="FeedHealthy">The store's change log was readable at the last try.</param>
/// <param name="ChangesApplied">Changes from other nodes applied so far.</param>
/// <param name="ChangesSkipped">Feedback rows of the change log left out because the bus had brought them.</param>
/// <param name="LastFeedRead">When the change log was last read, or null.</param>
/// <param name="Problems">What degrades this node now (empty when healthy).</param>
public sealed record ClusterStatus(string Node, string Role, bool Trainer, bool BusConnected, bool FeedHealthy, long ChangesApplied,
    long ChangesSkipped, DateTimeOffset? LastFeedRead, IReadOnlyList<string> Problems);

/// <summary>
/// Reports this node to the <see cref="INodeDirectory"/> every <see cref="ClusterOptions.HeartbeatInterval"/> (ready,
/// serving version, whether it trains) and answers who else is up; logs when this node gains or loses the trainer lease.
/// Thread-safe.
/// </summary>
internal sealed class ClusterMembership : IAsyncDisposable
{
    private readonly ClusterServices _cluster;
    private readonly ChangeFollower _follower;
    private readonly Func<bool> _ready;
    private readonly Func<long?> _servingVersion;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _heartbeat = Task.CompletedTask;
    private volatile bool _directoryHealthy = true;
    private bool _wasTrainer;

    public ClusterMembership(ClusterServices cluster, ChangeFollower follower, Func<bool> ready, Func<long?> servingVersion, TimeProvider time,
        ILogger logger)
    {
        _cluster = cluster;
        _follower = follower;
        _ready = ready;
        _servingVersion = servingVersion;
        _time = time;
        _logger = logger;
    }

    public void Start() => _heartbeat = Task.Run(() => HeartbeatLoopAsync(_stopping.Token), CancellationToken.None);

    public ClusterStatus Status()
    {
        var problems = new List<string>();
        if (!_directoryHealthy || !_follower.FeedHealthy)
        {
            problems.Add("the store (PostgreSQL) is unreachable: writes fail, reads answer from memory");
        }
        if (_cluster.Bus is { IsConnected: false })
        {
            problems.Add("the bus (Redis) is unreachable: changes from other nodes arrive by polling the store");
        }
        if (_follower.Gap)
        {
            problems.Add("changes from other nodes were trimmed before this node read them: restart it");
        }
        var options = _cluster.Options;
        return new ClusterStatus(options.Node, RoleName(options.Role), _cluster.Lease.IsHeld, _cluster.Bus?.IsConnected ?? false,
            _follower.FeedHealthy, _follower.Applied, _follower.Skipped, _follower.LastRead, problems);
    }

    public async Task<ClusterView> ViewAsync(CancellationToken cancellationToken)
    {
        var options = _cluster.Options;
        var self = Self();
        IReadOnlyList<NodeInfo> nodes;
        try
        {
            nodes = await _cluster.Directory.ListAsync(options.NodeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            nodes = [self]; // the directory is unreachable: this node speaks for itself
        }
        if (!nodes.Any(n => string.Equals(n.Node, options.Node, StringComparison.Ordinal)))
        {
            nodes = [.. nodes.Append(self).OrderBy(n => n.Node, StringComparer.Ordinal)];
        }
        var leader = nodes.Where(n => n.Trainer).OrderByDescending(n => n.LastSeen).FirstOrDefault()?.Node;
        return new ClusterView(options.Node, leader, _servingVersion(), nodes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _heartbeat.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private NodeInfo Self()
    {
        var options = _cluster.Options;
        return new NodeInfo(options.Node, options.Url, RoleName(options.Role), _ready() && _follower.FeedHealthy, _servingVersion(),
            _cluster.Lease.IsHeld, _time.GetUtcNow());
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var trainer = _cluster.Lease.IsHeld;
            if (trainer != _wasTrainer)
            {
                ClusterLog.Lease(_logger, trainer ? "taken" : "lost", _cluster.Options.Node);
                _wasTrainer = trainer;
            }
            try
            {
                await _cluster.Directory.HeartbeatAsync(Self(), cancellationToken).ConfigureAwait(false);
                _directoryHealthy = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (_directoryHealthy)
                {
                    ClusterLog.HeartbeatFailed(_logger, e);
                }
                _directoryHealthy = false;
            }
            await Task.Delay(_cluster.Options.HeartbeatInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string RoleName(ClusterRole role) => role switch
    {
        ClusterRole.Serve => "serve",
        ClusterRole.Trainer => "trainer",
        _ => "all",
    };
}
