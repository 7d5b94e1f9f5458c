using Fresco.Engine;

namespace Fresco.Server;

/// <summary>
/// Carries the engine into the service container, which is built before the engine is created (the container
/// disposes the engine it hands out). Set once at start-up, read afterwards; thread-safe for that use.
/// </summary>
internal sealed class EngineHolder
{
    private IFrescoEngine? _engine;

    public IFrescoEngine Engine
    {
        get => _engine ?? throw new InvalidOperationException("The engine was read before it was created.");
        set => _engine = value;
    }
}
