using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Models;
using Fresco.Storage.Sqlite;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>The registry suite over <see cref="SqliteStore"/> in a fresh temp folder; reopening is a real restart.</summary>
public sealed class SqliteModelRegistryTests : ModelRegistryTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-registry-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IStore> OpenStoreAsync() => await SqliteStore.OpenAsync(_directory, Ct);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AServingModelFileThatIsGoneOrDamagedFallsBackToTheNewestOlderVersion(bool delete)
    {
        await ThreeVersionsAsync();
        await RestartAsync();
        var file = Path.Combine(_directory, "models", "3.model");
        if (delete)
        {
            File.Delete(file);
        }
        else
        {
            await File.WriteAllBytesAsync(file, [.. File.ReadAllBytes(file).AsSpan(0, 40)], Ct); // cut short: a torn copy
        }

        Assert.True(await Registry.LoadAsync(Ct));
        Assert.Equal(1, Registry.Current?.Version);
    }

    protected override void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
