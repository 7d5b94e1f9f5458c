using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;

namespace Fresco.Engine.Tests.Models;

/// <summary>The registry suite over <see cref="InMemoryStore"/>; reopening returns the same instance.</summary>
public sealed class InMemoryModelRegistryTests : ModelRegistryTests
{
    private readonly InMemoryStore _store = new();

    protected override Task<IStore> OpenStoreAsync() => Task.FromResult<IStore>(_store);
}
