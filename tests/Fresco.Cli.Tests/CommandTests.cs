using Fresco.Storage.Sqlite;
using Xunit;

namespace Fresco.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class CommandTests
{
    [Fact]
    public async Task TrainThenRecommendRoundTrip()
    {
        using var folder = new TempFolder();
        var data = folder.WriteEvents();
        var model = folder.PathOf("out/pop.bin");
        var train = await CliRun.Invoke("train", "--data", data, "--model", "popularity", "--output", model);
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("trained popularity on events: 5 users, 4 items, 10 interactions", train.Out);
        Assert.True(File.Exists(model));
        Assert.True(File.Exists(model + ".ids"));

        // Popularity counts distinct users: hit 4, mid 3, low 2, rare 1. User a saw hit and low.
        var recommend = await CliRun.Invoke("recommend", "--model-file", model, "--user", "a", "--n", "5");
        Assert.Equal(0, recommend.ExitCode);
        Assert.Equal(["1\tmid\t3", "2\trare\t1"], recommend.OutLines);

        var seen = await CliRun.Invoke("recommend", "--model-file", model, "--user", "a", "--n", "2", "--include-seen");
        Assert.Equal(["1\thit\t4", "2\tmid\t3"], seen.OutLines);

        var stranger = await CliRun.Invoke("recommend", "--model-file", model, "--user", "nobody", "--n", "1");
        Assert.Equal(0, stranger.ExitCode);
        Assert.Equal(["1\thit\t4"], stranger.OutLines);
        Assert.Contains("not in the training data", stranger.Error);
    }

    [Fact]
    public async Task RecommendByItemListsSimilarItems()
    {
        using var folder = new TempFolder();
        // Two tastes: x, y, z go together; p, q go together.
        var data = folder.PathOf("seq.txt");
        File.WriteAllLines(data, ["u1 x y z", "u2 x y", "u3 y z", "u4 p q", "u5 p q", "u6 x z"]);
        var model = folder.PathOf("knn.bin");
        Assert.Equal(0, (await CliRun.Invoke("train", "--data", data, "--model", "itemknn", "--set", "weighting=none", "--set", "shrinkage=0", "--output", model)).ExitCode);

        var similar = await CliRun.Invoke("recommend", "--model-file", model, "--item", "x", "--n", "2");
        Assert.Equal(0, similar.ExitCode);
        Assert.Equal(["y", "z"], similar.OutLines.Select(l => l.Split('\t')[1]).Order());

        var both = await CliRun.Invoke("recommend", "--model-file", model, "--item", "x", "--user", "u1");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("exactly one of --user and --item", both.Error);

        var unknown = await CliRun.Invoke("recommend", "--model-file", model, "--item", "nope");
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task GenerateWritesAShopThatEvalReads()
    {
        using var folder = new TempFolder();
        var shop = folder.PathOf("shop");
        var generate = await CliRun.Invoke("generate", "--users", "50", "--items", "200", "--categories", "5", "--out", shop);
        Assert.Equal(0, generate.ExitCode);
        Assert.True(File.Exists(Path.Combine(shop, "events.csv")));
        var eval = await CliRun.Invoke("eval", "--data", Path.Combine(shop, "events.csv"), "--model", "popularity", "--protocol", "temporal", "--json");
        Assert.Equal(0, eval.ExitCode);
        Assert.Contains("\"users\":50", eval.Out);

        var bad = await CliRun.Invoke("generate", "--categories", "0", "--out", shop);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("categories", bad.Error);
    }

    [Fact]
    public async Task ImportWritesTheServerStoreThatTrainReads()
    {
        using var folder = new TempFolder();
        var dataDir = folder.PathOf("fresco-data");
        var import = await CliRun.Invoke("import", "--data", folder.WriteEvents(), "--data-dir", dataDir);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("imported 10 feedback rows and 4 items with categories", import.Out);
        await using (var store = await SqliteStore.OpenAsync(dataDir, Ct))
        {
            Assert.Equal(10, await store.CountFeedbackAsync(Ct));
            Assert.Equal(["1"], (await store.TryGetItemAsync("hit", Ct))!.Categories);
            var cart = Assert.Single(await store.GetUserFeedbackAsync("c", "cart", Ct));
            Assert.Equal(("mid", 1.0, 1005L), (cart.ItemId, cart.Value, cart.Timestamp.ToUnixTimeSeconds()));
        }

        var model = folder.PathOf("pop.bin");
        var train = await CliRun.Invoke("train", "--data", dataDir, "--model", "popularity", "--set", "count_users=false", "--output", model);
        Assert.Equal(0, train.ExitCode);
        // Summed e-commerce weights: hit 4 views = 4; mid pv 1 + cart 3 + fav 2 = 6; rare buy 5; low 2.
        var recommend = await CliRun.Invoke("recommend", "--model-file", model, "--user", "a", "--n", "5");
        Assert.Equal(["1\tmid\t6", "2\trare\t5"], recommend.OutLines);

        // Importing the same events again writes nothing new: one row per (type, user, item), as the API keeps.
        var again = await CliRun.Invoke("import", "--data", folder.WriteEvents(), "--data-dir", dataDir);
        Assert.Contains("imported 0 feedback rows (10 repeated (type, user, item) events kept once)", again.Out);
    }

    [Fact]
    public async Task PreprocessingFlagsFilterTheTrainingData()
    {
        using var folder = new TempFolder();
        var model = folder.PathOf("pop.bin");
        // A 2-core on items drops "rare", then user z (left with nothing).
        var train = await CliRun.Invoke("train", "--data", folder.WriteEvents(), "--model", "popularity", "--min-item-interactions", "2", "--output", model);
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("kept 9 of 10 interactions", train.Error);
        var recommend = await CliRun.Invoke("recommend", "--model-file", model, "--user", "a");
        Assert.Equal(["1\tmid\t3", "2\trare\t0"], recommend.OutLines);
    }

    [Fact]
    public async Task DedupeWithoutAValueKeepsTheFirstEvent()
    {
        using var folder = new TempFolder();
        var data = folder.Write("dups.csv", "u,i,1,pv,10\nu,i,1,buy,20\nv,j,1,pv,30\n");
        Assert.Equal(["pv", "pv"], await ImportedTypes(folder, data, "first", "--dedupe"));
        Assert.Equal(["buy", "pv"], await ImportedTypes(folder, data, "last", "--dedupe", "last"));
    }

    private static async Task<string[]> ImportedTypes(TempFolder folder, string data, string name, params string[] dedupe)
    {
        var dataDir = folder.PathOf(name);
        var run = await CliRun.Invoke(["import", "--data", data, .. dedupe, "--data-dir", dataDir]);
        Assert.Equal(0, run.ExitCode);
        await using var store = await SqliteStore.OpenAsync(dataDir, Ct);
        var types = new List<string>();
        await foreach (var row in store.ReadAllFeedbackAsync(Ct))
        {
            types.Add(row.FeedbackType);
        }
        return [.. types];
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
