using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Models;
using Fresco.Storage.Sqlite;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>Restart over SQLite keeps everything; a model whose ids are ordered differently is served through a remap.</summary>
public sealed class EngineRestartTests : EngineTestBase
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-engine-" + Guid.NewGuid().ToString("N"));

    public override async ValueTask InitializeAsync()
    {
        Store = await SqliteStore.OpenAsync(_directory, Ct);
        Engine = await StartAsync();
        await SeedAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ARestartKeepsFeedbackCatalogAndModel()
    {
        await Add(View("new", "i0", 1), Event("purchase", "new", "i6", 2));
        Assert.True(await Engine.PatchItemAsync("i2", new ItemPatch(IsHidden: true), Ct));
        Assert.True(await Engine.AddItemCategoryAsync("i4", "odd", Ct));
        var before = Recommend("new", n: 20);
        var odd = Recommend("new", category: "odd");
        // Purchase weighs 5: i7 5/sqrt(2), i4 and i5 5 x 0.5 (from i6), i1 1 (from i0; i2 is hidden);
        // then trending i3, latest i9, catalog i8.
        Assert.Equal(["i7", "i4", "i5", "i1", "i3", "i9", "i8"], Ids(before));
        Assert.Equal(["i7", "i4", "i5", "i1"], Ids(odd));

        await RestartAsync();

        Assert.True(Engine.IsReady);
        Assert.Equal(1, Engine.Models.Current!.Version);
        Assert.Equal(before, Recommend("new", n: 20));
        Assert.Equal(odd, Recommend("new", category: "odd"));
        Assert.Equal(["b", "new"], Ids(Engine.UserNeighbors("a", new RecommendQuery())));
    }

    [Fact]
    public async Task AModelWithDifferentlyOrderedIdsIsRemappedAcrossRestartAndRollback()
    {
        // Version 2: the same item-kNN trained with the item columns reversed, as another process might have numbered them.
        var live = Engine.Live;
        var users = Enumerable.Range(0, live.UserCount).Select(live.GetUserId).ToArray();
        var items = Enumerable.Range(0, 10).Select(j => live.GetItemId(9 - j)).ToArray();
        var builder = new CsrBuilder(users.Length, items.Length);
        var matrix = live.ToMatrix();
        for (var u = 0; u < matrix.Rows; u++)
        {
            foreach (var j in matrix.RowIndices(u))
            {
                builder.Add(u, 9 - j, 1f);
            }
        }
        var reversed = ModelCatalog.Train("itemknn", new TrainingContext(new TrainingData(builder.Build(DuplicatePolicy.Sum)),
            ModelCatalog.CreateOptions("itemknn", ["shrinkage=0", "weighting=none"])));
        var metrics = new Dictionary<string, double> { ["ndcg@10"] = 0.5 };
        var outcome = await Engine.Models.ProposeAsync(reversed, new ModelIdSpace(users, items), new CandidateReport(metrics, metrics),
            new QualityGate("ndcg@10", 0.05), Ct);
        Assert.True(outcome.Promoted);

        await Add(View("new", "i0", 1));
        Assert.Equal(["i1", "i2"], Ids(Recommend("new", n: 2)));
        Assert.Equal(["itemknn", "itemknn"], Sources(Recommend("new", n: 2)));

        // After a restart version 2's ids come first in the live space, so version 1 is the one remapped.
        await RestartAsync();
        Assert.Equal("i9", Engine.Live.GetItemId(0));
        Assert.Equal(["i1", "i2"], Ids(Recommend("new", n: 2)));
        Assert.True((await Engine.RollbackAsync(Ct)).Promoted);
        Assert.Equal(1, Engine.Models.Current!.Version);
        Assert.Equal(["i1", "i2"], Ids(Recommend("new", n: 2)));
        Assert.Equal(["itemknn", "itemknn"], Sources(Recommend("new", n: 2)));
        Assert.Equal(["i1", "i2"], Ids(Engine.ItemNeighbors("i0", new RecommendQuery(2))));
    }

    [Fact]
    public async Task AfterARestartUsersUntouchedSinceTrainingAreScoredFromTheModelRowAsBefore()
    {
        // ALS serves users who wrote nothing since its training from its own user rows, everyone else from a fold-in
        // of their history; the two differ slightly. A restart must keep each user on the same side.
        Trainer = new CatalogTrainer("als", "factors=4", "iterations=3", "threads=1");
        await Engine.DisposeAsync();
        Engine = await StartAsync();
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        await Add(View("c", "i9", 3));
        var untouched = Recommend("a", n: 6);
        var writer = Recommend("c", n: 6);
        var d = Recommend("d", n: 6);

        await RestartAsync();

        Assert.Equal(untouched, Recommend("a", n: 6)); // same scores to the bit: still the model's row
        Assert.Equal(writer, Recommend("c", n: 6));
        Assert.Equal(d, Recommend("d", n: 6));
        await Add(View("d", "i9", 4)); // and a write moves the user to the fold-in, as before a restart
        Assert.NotEqual(d!.Select(s => s.Score), Recommend("d", n: 6)!.Select(s => s.Score));
    }

    private async Task RestartAsync()
    {
        await Engine.DisposeAsync();
        await Store.DisposeAsync();
        Store = await SqliteStore.OpenAsync(_directory, Ct);
        Engine = await StartAsync();
    }
}
