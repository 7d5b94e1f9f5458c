using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Models;
using Fresco.Storage.Sqlite;

namespace Fresco.Storage.Tests;

/// <summary>The registry suite over <see cref="SqliteStore"/> in a fresh temp folder; reopening is a real restart.</summary>
public sealed class SqliteModelRegistryTests : ModelRegistryTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-registry-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IStore> OpenStoreAsync() => await SqliteStore.OpenAsync(_directory, Ct);

    protected override void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
