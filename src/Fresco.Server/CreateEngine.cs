using Fresco.Engine;

namespace Fresco.Server;

/// <summary>
/// Creates and starts the engine a server drives, once, before the server accepts requests. The server owns the
/// result and disposes it (flushing its store) when it stops. <c>EngineFactory.CreateAsync</c> is the production one.
/// </summary>
public delegate Task<IFrescoEngine> CreateEngine(FrescoServerOptions server, FrescoEngineOptions engine, CancellationToken cancellationToken);
