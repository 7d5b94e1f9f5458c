namespace Fresco.Engine.Cluster;

/// <summary>What a node does in a cluster.</summary>
public enum ClusterRole
{
    /// <summary>Serves and competes for the trainer lease (the default).</summary>
    All,

    /// <summary>Serves; never holds the trainer lease.</summary>
    Serve,

    /// <summary>Holds the trainer lease when it can; meant to be kept out of the balancer so training never competes with serving.</summary>
    Trainer,
}

/// <summary>
/// Settings of a cluster node (Cluster:* in configuration). Mutable until handed to the engine builder, which validates
/// it; not mutated afterwards.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>This node's id, unique in the cluster (letters, digits, '-', '_', '.'; at most 64).</summary>
    public string Node { get; set; } = "";

    /// <summary>Where other nodes and operators reach this node's HTTP API (shown by GET /api/cluster).</summary>
    public string Url { get; set; } = "";

    public ClusterRole Role { get; set; } = ClusterRole.All;

    /// <summary>How often the change log is read while the bus is connected (catching what the bus lost). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the change log is read while the bus is down or absent (at most <see cref="PollInterval"/>). Default 200 ms.</summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the node reports itself to the directory. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A node not heard from for this long is shown as not ready (and not as the trainer). Default 5 s.</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public ClusterOptions Validate()
    {
        if (string.IsNullOrEmpty(Node) || Node.Length > 64
            || !Node.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"Cluster:Node must be 1 to 64 letters, digits, '-', '_' or '.' (got '{Node}').", nameof(Node));
        }
        ArgumentNullException.ThrowIfNull(Url);
        if (!Enum.IsDefined(Role))
        {
            throw new ArgumentException($"Cluster:Role must be all, serve or trainer (got '{Role}').", nameof(Role));
        }
        Positive(PollInterval, nameof(PollInterval));
        Positive(FallbackPollInterval, nameof(FallbackPollInterval));
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        if (FallbackPollInterval > PollInterval)
        {
            throw new ArgumentException("Cluster:FallbackPollInterval must not exceed Cluster:PollInterval.", nameof(FallbackPollInterval));
        }
        if (NodeTimeout < 2 * HeartbeatInterval)
        {
            throw new ArgumentException("Cluster:NodeTimeout must be at least twice Cluster:HeartbeatInterval.", nameof(NodeTimeout));
        }
        return this;
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"Cluster:{name} must be above zero and at most 10 minutes (got {value}).", name);
        }
    }
}

/// <summary>
/// What makes an engine a cluster node: the store's change log, the node directory, the trainer lease and, optionally,
/// the bus (without it, replicas follow each other by reading the change log every
/// <see cref="ClusterOptions.FallbackPollInterval"/>). The engine disposes the lease and the bus. Immutable.
/// </summary>
public sealed record ClusterServices(ClusterOptions Options, IChangeFeed Feed, INodeDirectory Directory, ITrainerLease Lease, IClusterBus? Bus);
