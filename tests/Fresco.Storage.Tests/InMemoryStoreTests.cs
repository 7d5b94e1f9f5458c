using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;

namespace Fresco.Storage.Tests;

/// <summary>The contract suite over <see cref="InMemoryStore"/>; reopening returns the same instance.</summary>
public sealed class InMemoryStoreTests : StoreContractTests
{
    private readonly InMemoryStore _store = new();

    protected override Task<IStore> OpenAsync() => Task.FromResult<IStore>(_store);
}
