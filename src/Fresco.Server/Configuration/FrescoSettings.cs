using Fresco.Engine;
using Microsoft.Extensions.Configuration;

namespace Fresco.Server.Configuration;

/// <summary>
/// The validated settings a server starts with: the server's own options, the engine's options, and the configuration
/// they came from (logging reads its section), and the store and cluster sections. Treat as immutable once
/// <see cref="FrescoConfiguration.Bind"/> returned it.
/// </summary>
public sealed record FrescoSettings(FrescoServerOptions Server, FrescoEngineOptions Engine, IConfiguration Configuration)
{
    /// <summary>Which store: SQLite in Server:DataDir (the default) or PostgreSQL.</summary>
    public StoreSettings Store { get; init; } = new();

    /// <summary>The cluster node's settings (used with PostgreSQL).</summary>
    public ClusterSettings Cluster { get; init; } = new();
}
