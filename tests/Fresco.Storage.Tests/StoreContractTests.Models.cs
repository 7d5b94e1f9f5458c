using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>Contract tests of <see cref="IModelStore"/>.</summary>
public abstract partial class StoreContractTests
{
    private Task<ModelVersion> SaveAsync(long version, params byte[] bytes) =>
        Store.SaveModelAsync(version, "kind" + version, T0.AddHours(version),
            new Dictionary<string, double> { ["recall"] = version / 10.0 }, new MemoryStream(bytes), Ct);

    private async Task<byte[]?> ReadModelAsync(long version)
    {
        await using var stream = await Store.OpenModelAsync(version, Ct);
        if (stream is null)
        {
            return null;
        }

        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    [Fact]
    public async Task ModelsAreListedNewestFirstAndReadBack()
    {
        Assert.Empty(await Store.ListModelsAsync(Ct));
        var saved = await SaveAsync(2, 9, 8, 7);
        Assert.Equal(3, saved.SizeBytes);
        await SaveAsync(5, 1);
        await SaveAsync(1);
        var big = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray();
        await SaveAsync(3, big);

        var list = await Store.ListModelsAsync(Ct);
        Assert.Equal([5L, 3, 2, 1], list.Select(m => m.Version));
        Assert.Equal("kind3", list[1].Kind);
        Assert.Equal(T0.AddHours(3), list[1].CreatedAt);
        Assert.Equal(0.3, list[1].Metrics["recall"]);
        Assert.Equal(200_000, list[1].SizeBytes);
        Assert.All(list, m => Assert.False(m.IsServing));

        Assert.Equal(new byte[] { 9, 8, 7 }, await ReadModelAsync(2));
        Assert.Equal(big, await ReadModelAsync(3));
        Assert.Empty((await ReadModelAsync(1))!);
        Assert.Null(await ReadModelAsync(4));
        await Assert.ThrowsAsync<InvalidOperationException>(() => SaveAsync(2, 1));
        Assert.Equal(new byte[] { 9, 8, 7 }, await ReadModelAsync(2));
    }

    [Fact]
    public async Task PromotionMovesTheServingMark()
    {
        Assert.Null(await Store.GetServingModelAsync(Ct));
        await SaveAsync(1, 1);
        await SaveAsync(2, 2);
        Assert.False(await Store.PromoteModelAsync(7, Ct));
        Assert.Null(await Store.GetServingModelAsync(Ct));

        Assert.True(await Store.PromoteModelAsync(1, Ct));
        Assert.Equal(1, (await Store.GetServingModelAsync(Ct))!.Version);
        Assert.True(await Store.PromoteModelAsync(2, Ct));
        var serving = await Store.GetServingModelAsync(Ct);
        Assert.Equal(2, serving!.Version);
        Assert.True(serving.IsServing);
        Assert.Equal([true, false], (await Store.ListModelsAsync(Ct)).Select(m => m.IsServing));
    }

    [Fact]
    public async Task PruningKeepsTheNewestAndTheServingVersion()
    {
        for (var v = 1; v <= 6; v++)
        {
            await SaveAsync(v, (byte)v);
        }

        await Store.PromoteModelAsync(2, Ct);
        Assert.Equal(3, await Store.PruneModelsAsync(2, Ct));
        Assert.Equal([6L, 5, 2], (await Store.ListModelsAsync(Ct)).Select(m => m.Version));
        Assert.Null(await ReadModelAsync(4));
        Assert.Equal(new byte[] { 2 }, await ReadModelAsync(2));
        Assert.Equal(0, await Store.PruneModelsAsync(2, Ct));
        Assert.Equal(2, await Store.PruneModelsAsync(0, Ct));
        Assert.Equal([2L], (await Store.ListModelsAsync(Ct)).Select(m => m.Version));
    }
}
