using Fresco.Engine;

namespace Fresco.Server;

/// <summary>
/// Creates and starts the engine a server drives, once, before the server accepts requests. The server owns the
/// result and disposes it when it stops; the engine closes what it was given to own (the production one, its store).
/// <paramref name="services"/> are the server's (ILoggerFactory, TimeProvider, IMeterFactory), so that the engine logs
/// and measures through the host. <c>EngineFactory.CreateAsync</c> is the production one.
/// </summary>
public delegate Task<IFrescoEngine> CreateEngine(
    FrescoServerOptions server, FrescoEngineOptions engine, IServiceProvider services, CancellationToken cancellationToken);
