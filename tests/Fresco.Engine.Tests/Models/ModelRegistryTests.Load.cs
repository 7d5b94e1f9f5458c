using Fresco.Engine.Models;
using Fresco.Engine.Storage;
using Fresco.TestKit;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Fresco.Engine.Tests.Models;

/// <summary>Start-up with a serving version whose stored content is missing or damaged.</summary>
public abstract partial class ModelRegistryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABrokenServingVersionFallsBackToTheNewestOlderOneThatLoadsAndSaysSo(bool missing)
    {
        await ThreeVersionsAsync(); // 1 popularity (promoted), 2 rejected, 3 item-kNN (promoted, serving)
        await RestartAsync();
        var logger = new RecordingLogger();
        using var registry = new ModelRegistry(new DamagedModels(Store, [3], missing), null, null, logger);

        Assert.True(await registry.LoadAsync(Ct));

        Assert.Equal(1, registry.Current?.Version); // 2 was rejected by the gate: never served
        Assert.Equal("popularity", registry.Current?.Kind);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("version 3 could not be loaded", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Serving model version 1 instead of version 3", StringComparison.Ordinal));
        Assert.Equal(3, (await Store.GetServingModelAsync(Ct))?.Version); // the stored decision stays for the next promotion to replace
    }

    [Fact]
    public async Task WhenNoVersionLoadsTheRegistryStartsWithoutAModelAndSaysSo()
    {
        await ThreeVersionsAsync();
        await RestartAsync();
        var logger = new RecordingLogger();
        using var registry = new ModelRegistry(new DamagedModels(Store, [1, 2, 3], missing: false), null, null, logger);

        Assert.False(await registry.LoadAsync(Ct));

        Assert.Null(registry.Current);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("serving without a model", StringComparison.Ordinal));
    }

    protected async Task ThreeVersionsAsync()
    {
        Assert.True((await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct)).Promoted);
        Assert.False((await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.1, 0.5), Gate, Ct)).Promoted);
        Assert.True((await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.6, 0.5), Gate, Ct)).Promoted);
    }

    /// <summary>A model store whose listed <paramref name="versions"/> have lost their content (null) or hold garbage.</summary>
    private sealed class DamagedModels(IModelStore inner, long[] versions, bool missing) : IModelStore
    {
        public Task<ModelVersion> SaveModelAsync(long version, string kind, DateTimeOffset createdAt, IReadOnlyDictionary<string, double> metrics,
            Stream content, CancellationToken cancellationToken = default) =>
            inner.SaveModelAsync(version, kind, createdAt, metrics, content, cancellationToken);

        public Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default) => inner.ListModelsAsync(cancellationToken);

        public async Task<Stream?> OpenModelAsync(long version, CancellationToken cancellationToken = default)
        {
            if (!versions.Contains(version))
            {
                return await inner.OpenModelAsync(version, cancellationToken);
            }
            return missing ? null : new MemoryStream([1, 2, 3]);
        }

        public Task<int> PruneModelsAsync(int keep, CancellationToken cancellationToken = default) => inner.PruneModelsAsync(keep, cancellationToken);

        public Task<bool> PromoteModelAsync(long version, CancellationToken cancellationToken = default) => inner.PromoteModelAsync(version, cancellationToken);

        public Task<ModelVersion?> GetServingModelAsync(CancellationToken cancellationToken = default) => inner.GetServingModelAsync(cancellationToken);
    }
}
