namespace Fresco.Engine.Cluster;

/// <summary>
/// The fast path between replicas (Redis pub/sub in production): committed changes, published by the node that made
/// them, delivered at most once to every other node. Losing a message is allowed (the <see cref="IChangeFeed"/> catches
/// up), so publishing never blocks or throws. Thread-safe.
/// </summary>
public interface IClusterBus : IAsyncDisposable
{
    /// <summary>True while the bus can deliver (connected).</summary>
    bool IsConnected { get; }

    /// <summary>Sends a batch to the other nodes, fire-and-forget.</summary>
    void Publish(ChangeBatch batch);

    /// <summary>Starts delivering every batch published by the other nodes to <paramref name="receive"/>.</summary>
    Task SubscribeAsync(Action<ChangeBatch> receive, CancellationToken cancellationToken = default);
}
