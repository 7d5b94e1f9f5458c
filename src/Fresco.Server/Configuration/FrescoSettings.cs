using Fresco.Engine;
using Microsoft.Extensions.Configuration;

namespace Fresco.Server.Configuration;

/// <summary>
/// The validated settings a server starts with: the server's own options, the engine's options, and the configuration
/// they came from (logging reads its section). Treat as immutable once <see cref="FrescoConfiguration.Bind"/> returned it.
/// </summary>
public sealed record FrescoSettings(FrescoServerOptions Server, FrescoEngineOptions Engine, IConfiguration Configuration);
