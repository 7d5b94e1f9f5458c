using Fresco.Engine.Cluster;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// What makes an engine a cluster node that serves and never trains (<see cref="ClusterRole.Serve"/>) without a database:
/// a trainer lease never held, a change log no other node writes to, a directory that keeps nothing, no bus. Thread-safe
/// (stateless).
/// </summary>
internal static class ServeOnlyCluster
{
    public static ClusterServices Services(string node) =>
        new(new ClusterOptions { Node = node, Role = ClusterRole.Serve }, new QuietFeed(), new NoDirectory(), new NeverHeldLease(), Bus: null);

    private sealed class QuietFeed : IChangeFeed
    {
        public Task<ChangePosition> HeadAsync(CancellationToken cancellationToken = default) => Task.FromResult(new ChangePosition(0, 0));

        public Task<ChangePage> ReadAsync(ChangePosition after, int max, string excludeOrigin, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChangePage([], after, More: false));

        public Task<bool> IsTrimmedPastAsync(ChangePosition position, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }

    private sealed class NoDirectory : INodeDirectory
    {
        public Task HeartbeatAsync(NodeInfo node, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<NodeInfo>> ListAsync(TimeSpan within, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<NodeInfo>>([]);
    }

    private sealed class NeverHeldLease : ITrainerLease
    {
        public bool IsHeld => false;

        public Task<IAsyncDisposable> LockRunAsync(CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("A serve-only node never trains.");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
