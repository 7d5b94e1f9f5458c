using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Tests.Engine;
using Xunit;

namespace Fresco.Engine.Tests.Scenarios;

/// <summary>
/// A scenario's <c>Model</c> over the world of <see cref="EngineTestBase"/>: version 1 item-kNN (trained before user
/// "new" viewed i0), version 2 ALS, version 3 item-kNN again (serving), version 4 a popularity model the gate rejected.
/// A scenario choosing ALS answers as ALS did while it served; a query's model wins over the scenario's.
/// </summary>
public sealed class ScenarioModelTests : EngineTestBase
{
    private static readonly string[] s_als = ["factors=4", "iterations=5", "threads=1"];

    private ScoredId[] _alsAnswer = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Add(View("new", "i0", 1));
        await TrainAsync("als", s_als);
        _alsAnswer = [.. Recommend("new", n: 6)!];
        Assert.All(Sources(_alsAnswer), source => Assert.Equal("als", source));
        await TrainAsync("itemknn", "neighbors=10", "shrinkage=0", "weighting=none");
        Trainer.Metric = 0.1;
        await TrainAsync("popularity");
        Trainer.Metric = 0.5;
        var stored = await Engine.ListModelsAsync(Ct);
        Assert.Equal([(4L, "popularity"), (3L, "itemknn"), (2L, "als"), (1L, "itemknn")], stored.Select(v => (v.Version, v.Kind)));
        Assert.Equal(3, Engine.Models.Current!.Version);
    }

    private async Task TrainAsync(string kind, params string[] options)
    {
        Trainer.Kind = kind;
        Trainer.Options = options;
        await Engine.TrainNowAsync(Ct);
    }

    private IReadOnlyList<ScoredId>? Under(string scenario, int n = 6, string? model = null, string user = "new") =>
        Engine.Recommend(user, new RecommendQuery(n, Scenario: scenario, Model: model));

    [Fact]
    public async Task AScenarioWithAModelKindAnswersFromThatKind()
    {
        var serving = Recommend("new", n: 6)!;
        Assert.NotEqual(_alsAnswer, serving);
        Assert.DoesNotContain("als", Sources(serving));

        await Engine.PutScenarioAsync("als", new Scenario { Model = "ALS" }, Ct);
        Assert.Equal(_alsAnswer, Under("als"));

        await Engine.PutScenarioAsync("plain", new Scenario { Filter = new ItemRule { ExcludeLabels = ["none"] } }, Ct);
        Assert.Equal(serving, Under("plain"));
        await Engine.PutScenarioAsync("knn", new Scenario { Model = "itemknn" }, Ct);
        Assert.Equal(serving, Under("knn"));
    }

    [Fact]
    public async Task AScenarioWithAModelVersionAnswersFromThatVersionEvenARejectedOne()
    {
        await Engine.PutScenarioAsync("v2", new Scenario { Model = "2" }, Ct);
        Assert.Equal(_alsAnswer, Under("v2"));

        await Engine.PutScenarioAsync("v4", new Scenario { Model = "4" }, Ct);
        var list = Under("v4");
        Assert.All(Sources(list)[..2], source => Assert.Equal("popularity", source));
    }

    [Fact]
    public async Task AQueryModelWinsOverTheScenarios()
    {
        var serving = Recommend("new", n: 6);
        await Engine.PutScenarioAsync("als", new Scenario { Model = "als" }, Ct);
        Assert.Equal(serving, Under("als", model: "3"));
        Assert.Equal(_alsAnswer, Engine.Recommend("new", new RecommendQuery(6, Model: "als")));
        Assert.Throws<ScenarioException>(() => Engine.Recommend("new", new RecommendQuery(6, Model: "nope")));
    }

    [Fact]
    public async Task AnEventStillChangesTheNextAnswerUnderAScenarioModel()
    {
        await Engine.PutScenarioAsync("als", new Scenario { Model = "als" }, Ct);
        var before = Ids(Under("als"));
        var first = before[0];
        await Add(View("new", first, 2));

        var after = Under("als", n: 2);
        Assert.DoesNotContain(first, Ids(after));
        Assert.Equal(["als", "als"], Sources(after));
        Assert.Equal(await FoldedInTop("new", 2, n: 2), Ids(after));
    }

    /// <summary>The model version's own best items for the user's live history (folded in), the history left out.</summary>
    private async Task<string[]> FoldedInTop(string user, long version, int n)
    {
        var model = Assert.IsType<Fresco.Engine.Models.ServingModel>(await Engine.Models.TryLoadStoredAsync(version, Ct));
        var snapshot = Engine.Live.GetSnapshot(user);
        var ids = model.Ids.ItemIds.ToList();
        var history = snapshot.Items.ToArray().Select(i => ids.IndexOf(Engine.Live.GetItemId(i))).ToArray();
        var scores = new float[model.Model.ItemCount];
        model.Model.Score(new Fresco.Core.Models.UserHistory(-1, history, snapshot.Weights.ToArray()), scores);
        return Enumerable.Range(0, scores.Length).Where(j => !history.Contains(j) && scores[j] > 0)
            .OrderByDescending(j => scores[j]).ThenBy(j => j).Take(n).Select(j => ids[j]).ToArray();
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("99")]
    [InlineData("0")]
    [InlineData("popularity")] // stored, but the gate rejected it
    public async Task AnUnknownOrUnservableModelIsRefusedNamingTheField(string model)
    {
        var e = await Assert.ThrowsAsync<ScenarioException>(() => Engine.PutScenarioAsync("bad", new Scenario { Model = model }, Ct));
        Assert.Equal("Model", e.Where);
        Assert.Null(await Engine.GetScenarioAsync("bad", Ct));
    }

    [Fact]
    public async Task AfterARestartTheServingModelAnswersUntilTheScenarioModelIsLoaded()
    {
        await Engine.PutScenarioAsync("als", new Scenario { Model = "als" }, Ct);
        await Engine.DisposeAsync();
        Engine = await StartAsync();

        // The reload at start asked for the model in the background: it answers once loaded (the serving one meanwhile).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Sources(Under("als"))[0] != "als" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }
        Assert.Equal("als", Sources(Under("als"))[0]);
        Assert.Equal(await FoldedInTop("new", 2, n: 1), Ids(Under("als", n: 1)));
    }
}
