using Fresco.Engine;

namespace Fresco.Server;

/// <summary>
/// Carries the engine into the service container, which is built before the engine is created, and closes the
/// engine's store at shutdown. The container disposes services in reverse order of creation; the holder is created
/// before the engine, so the engine is disposed first and its store (flushed) after it. Set once at start-up, read
/// afterwards; thread-safe for that use.
/// </summary>
internal sealed class EngineHolder : IAsyncDisposable
{
    private IFrescoEngine? _engine;

    public IFrescoEngine Engine
    {
        get => _engine ?? throw new InvalidOperationException("The engine was read before it was created.");
        set => _engine = value;
    }

    public ValueTask DisposeAsync() => _engine?.Store.DisposeAsync() ?? ValueTask.CompletedTask;
}
