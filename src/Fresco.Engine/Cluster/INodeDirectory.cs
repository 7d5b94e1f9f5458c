namespace Fresco.Engine.Cluster;

/// <summary>One node as it last reported itself. Immutable.</summary>
/// <param name="Node">The node id (Cluster:Node).</param>
/// <param name="Url">Where the node answers HTTP (Cluster:Url).</param>
/// <param name="Role">"serve" (serves, never trains), "trainer" (trains, kept out of the balancer) or "all".</param>
/// <param name="Ready">The node had loaded its state and its store was reachable.</param>
/// <param name="ServingVersion">The model version it serves, or null.</param>
/// <param name="Trainer">The node held the trainer lease.</param>
/// <param name="LastSeen">When the node last reported (the directory's clock).</param>
public sealed record NodeInfo(string Node, string Url, string Role, bool Ready, long? ServingVersion, bool Trainer, DateTimeOffset LastSeen);

/// <summary>
/// The cluster's members, kept by heartbeats in shared storage (PostgreSQL), so that any node can tell who else is up and
/// who trains. Thread-safe.
/// </summary>
public interface INodeDirectory
{
    /// <summary>Records this node's state now (<see cref="NodeInfo.LastSeen"/> is set by the directory).</summary>
    Task HeartbeatAsync(NodeInfo node, CancellationToken cancellationToken = default);

    /// <summary>The nodes seen within <paramref name="within"/>, by id.</summary>
    Task<IReadOnlyList<NodeInfo>> ListAsync(TimeSpan within, CancellationToken cancellationToken = default);
}
