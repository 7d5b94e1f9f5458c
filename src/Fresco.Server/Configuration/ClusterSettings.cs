using Fresco.Engine.Cluster;

namespace Fresco.Server.Configuration;

/// <summary>
/// The <c>Cluster</c> section, read when Store:Postgres is set: this node's id, URL and role, and Redis (the bus; without
/// it nodes follow each other by polling PostgreSQL). Bound and validated once at start-up.
/// </summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Cluster";

    /// <summary>A StackExchange.Redis configuration string ("127.0.0.1:6379"); null: no bus.</summary>
    public string? Redis { get; set; }

    /// <summary>The Redis channel of this cluster (nodes on one channel are one cluster). Default "fresco:changes".</summary>
    public string Channel { get; set; } = "fresco:changes";

    /// <summary>This node's id, unique in the cluster. Default: the machine name and the port.</summary>
    public string? Node { get; set; }

    /// <summary>Where this node answers, as shown by GET /api/cluster. Default: http://Server:Host:Server:Port.</summary>
    public string? Url { get; set; }

    /// <summary>all (serve and train when holding the lease), serve (never train), trainer (train; keep it out of the balancer).</summary>
    public string Role { get; set; } = "all";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The engine's cluster options for a server listening on <paramref name="server"/>; throws <see cref="ArgumentException"/> when invalid.</summary>
    public ClusterOptions ToOptions(FrescoServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var role = Role.ToLowerInvariant() switch
        {
            "all" => ClusterRole.All,
            "serve" => ClusterRole.Serve,
            "trainer" => ClusterRole.Trainer,
            _ => throw new ArgumentException($"Cluster:Role must be all, serve or trainer, not '{Role}'.", "Cluster:Role"),
        };
        return new ClusterOptions
        {
            Node = string.IsNullOrEmpty(Node) ? $"{Environment.MachineName}-{server.Port}" : Node,
            Url = string.IsNullOrEmpty(Url) ? $"http://{server.Host}:{server.Port}" : Url,
            Role = role,
            PollInterval = PollInterval,
            FallbackPollInterval = FallbackPollInterval,
            HeartbeatInterval = HeartbeatInterval,
            NodeTimeout = NodeTimeout,
        }.Validate();
    }
}
