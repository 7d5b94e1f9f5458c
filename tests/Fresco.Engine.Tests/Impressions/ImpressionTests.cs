using Fresco.Engine.Impressions;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Tests.Engine;
using Xunit;

namespace Fresco.Engine.Tests.Impressions;

/// <summary>
/// Impressions, attribution, outcomes, rotation and read feedback through the engine, over the world of
/// <see cref="EngineTestBase"/>. User "new" viewed i0: item-kNN scores i1 (1) and i2 (0.5), trending fills the rest.
/// </summary>
public sealed class ImpressionTests : EngineTestBase
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Add(View("new", "i0", 1));
    }

    private string Show(string? user, IReadOnlyList<ScoredId>? list, string? scenario = null, string? experiment = null, string? variant = null) =>
        Engine.RecordImpression(new ImpressionRequest(user, scenario, list!) { Experiment = experiment, Variant = variant });

    private static async Task<T> Eventually<T>(Func<Task<T?>> read)
        where T : class
    {
        for (var i = 0; i < 500; i++)
        {
            if (await read() is { } value)
            {
                return value;
            }
            await Task.Delay(20, Ct);
        }
        throw new TimeoutException("not there after 10 s");
    }

    private Task<Impression> StoredAsync(string id) => Eventually(() => Store.GetImpressionAsync(id, Ct));

    [Fact]
    public async Task EveryAnswerGetsItsOwnIdAndIsStoredAfterTheAnswer()
    {
        await Engine.PutScenarioAsync("home", new Scenario { Diversity = new DiversityRule { MaxPerCategory = 5 } }, Ct);
        var list = Engine.Recommend("new", new RecommendQuery(3, Scenario: "home"))!;
        var first = Show("new", list, "home");
        var second = Show(null, Engine.NonPersonalized("popular", new RecommendQuery(2))!);
        Assert.NotEqual(first, second);
        Assert.Equal(32, first.Length);

        var stored = await StoredAsync(first);
        Assert.Equal("new", stored.UserId);
        Assert.Equal(("home", 1L), (stored.Scenario, stored.ScenarioVersion!.Value));
        Assert.Equal(Ids(list), stored.ItemIds);
        Assert.Equal(T0, stored.Time);
        Assert.Null(stored.Experiment);
        Assert.Null((await StoredAsync(second)).UserId);
        Assert.Equal(2, Engine.GetStatus().Impressions!.Recorded);
    }

    [Fact]
    public void RecordingAnAnswerAllocatesLittle()
    {
        var list = Engine.Recommend("new", new RecommendQuery(8))!;
        var request = new ImpressionRequest("new", null, list);
        for (var i = 0; i < 3; i++)
        {
            Engine.RecordImpression(request);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        Engine.RecordImpression(request);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        // The id, the item ids, the impression, and the user's new shown list (8 items): under 1.5 KB.
        Assert.InRange(bytes, 1, 1536);
    }

    [Fact]
    public async Task AFeedbackWithARecommendationIdIsCreditedToThatAnswer()
    {
        await Add(Event("click", "new", "i5") with { RecommId = "r-explicit" }, Event("view", "new", "i6") with { RecommId = "r-explicit" },
            Event("buy", "new", "i7", value: 30) with { RecommId = "r-explicit" });

        var credited = await Engine.ListAttributionsAsync("r-explicit", Ct);
        Assert.Equal([(AttributionKind.Click, "i5", 1.0), (AttributionKind.Purchase, "i7", 30.0)],
            credited.Select(a => (a.Kind, a.ItemId, a.Value)).OrderBy(a => a.Kind));
    }

    [Fact]
    public async Task WithoutAnIdTheLatestAnswerThatShowedTheItemWithinTheWindowIsCredited()
    {
        var earlier = Show("new", Recommend("new", n: 3)); // i1 i2 i4 at T0
        Time.Advance(TimeSpan.FromHours(1));
        var later = Show("new", Recommend("new", n: 2)); // i1 i2 at T0 + 1 h
        await Add(Event("click", "new", "i1", minutes: 60), Event("cart", "new", "i4", minutes: 60), Event("view", "new", "i2", minutes: 60));
        Assert.Equal(["i1"], (await Engine.ListAttributionsAsync(later, Ct)).Select(a => a.ItemId));
        Assert.Equal([(AttributionKind.Cart, "i4")], (await Engine.ListAttributionsAsync(earlier, Ct)).Select(a => (a.Kind, a.ItemId)));

        Time.Advance(TimeSpan.FromHours(24)); // the window edge: exactly 24 h after the later answer still counts
        await Add(Event("purchase", "new", "i2", minutes: 60 * 25, value: 12));
        Assert.Contains((await Engine.ListAttributionsAsync(later, Ct)), a => a.Kind == AttributionKind.Purchase && a.Value == 12);
        Time.Advance(TimeSpan.FromSeconds(1)); // one second beyond it does not
        await Add(Event("add_to_cart", "new", "i2", minutes: 60 * 25) with { Timestamp = T0.AddHours(25).AddSeconds(1) });
        Assert.DoesNotContain((await Engine.ListAttributionsAsync(later, Ct)), a => a.Kind == AttributionKind.Cart);
        Assert.DoesNotContain((await Engine.ListAttributionsAsync(earlier, Ct)), a => a.ItemId == "i2" && a.Kind == AttributionKind.Cart);
    }

    [Fact]
    public async Task AnAnswerThisNodeNeverGaveIsCreditedFromTheStoredImpressions()
    {
        // As another cluster node would have stored them: this engine's shown index never saw these answers.
        await Store.InsertImpressionsAsync([
            new Impression("elsewhere", "new", null, null, null, null, ["i3", "i4"], T0),
            new Impression("other-user", "u1", null, null, null, null, ["i5"], T0),
        ], Ct);
        await Add(Event("click", "new", "i3", minutes: 10), Event("click", "new", "i5", minutes: 10));
        Assert.Equal(["i3"], (await Engine.ListAttributionsAsync("elsewhere", Ct)).Select(a => a.ItemId));
        Assert.Empty(await Engine.ListAttributionsAsync("other-user", Ct));

        await Add(Event("purchase", "new", "i4", minutes: 60 * 24 + 1)); // past the window
        Assert.DoesNotContain(await Engine.ListAttributionsAsync("elsewhere", Ct), a => a.Kind == AttributionKind.Purchase);
    }

    [Fact]
    public async Task OutcomesCountAnExperimentsImpressionsAndAttributionsPerUser()
    {
        var shown = Show("new", Recommend("new", n: 2), experiment: "exp", variant: "boost");
        Show("new", Recommend("new", n: 2), experiment: "exp", variant: "boost");
        var other = Show("a", Recommend("a", n: 2), experiment: "exp", variant: "control");
        await Add(Event("click", "new", "i1") with { RecommId = shown }, Event("purchase", "new", "i2", value: 9) with { RecommId = shown });
        await Eventually(() => Store.GetImpressionAsync(other, Ct));
        await StoredAsync(shown);

        var outcomes = await Eventually(async () =>
        {
            var rows = await Store.GetExperimentOutcomesAsync("exp", Ct);
            return rows.Sum(r => r.Impressions) == 3 ? rows : null;
        });
        Assert.Equal([new ExperimentUserOutcome("a", "control", 1, 0, 0, 0, 0), new ExperimentUserOutcome("new", "boost", 2, 1, 0, 1, 9)], outcomes);
    }

    [Fact]
    public async Task RepeatedVisitsRotateTheListUnderARotationScenario()
    {
        await Engine.PutScenarioAsync("rot", new Scenario { Rotation = new RotationRule { Factor = 0.1, Hours = 24 } }, Ct);
        string Visit(string? scenario)
        {
            var list = Engine.Recommend("new", new RecommendQuery(1, Scenario: scenario))!;
            Show("new", list, scenario);
            return Assert.Single(Ids(list));
        }

        // i1 (1) first; once shown, i1 x 0.1 < i2 (0.5); once both were shown, i1 (0.1) > i2 (0.05) again.
        Assert.Equal(["i1", "i2", "i1"], new[] { Visit("rot"), Visit("rot"), Visit("rot") });
        Assert.Equal(["i1", "i1"], new[] { Visit(null), Visit(null) }); // without the scenario the list stays
        Time.Advance(TimeSpan.FromHours(25)); // what was shown more than Hours ago no longer counts
        Assert.Equal(["i1", "i2"], new[] { Visit("rot"), Visit("rot") });
    }

    [Fact]
    public async Task AnEventStillChangesTheNextAnswerUnderARotationScenario()
    {
        await Engine.PutScenarioAsync("rot", new Scenario { Rotation = new RotationRule { Factor = 0.4, Hours = 24 } }, Ct);
        var before = Ids(Engine.Recommend("new", new RecommendQuery(2, Scenario: "rot")));
        Show("new", Engine.Recommend("new", new RecommendQuery(2, Scenario: "rot"))!, "rot");
        await Add(View("new", "i4", 2));
        var after = Ids(Engine.Recommend("new", new RecommendQuery(2, Scenario: "rot")));
        Assert.Equal(["i1", "i2"], before);
        Assert.Equal(["i5", "i6"], after); // i5 (similar to i4: 1) and i6 (0.5) beat the shown i1 (1 x 0.4); i4 itself is seen
    }

    [Fact]
    public async Task RotationRemembersWhatWasShownAcrossARestart()
    {
        await Engine.PutScenarioAsync("rot", new Scenario { Rotation = new RotationRule { Factor = 0.1, Hours = 24 } }, Ct);
        var id = Show("new", Engine.Recommend("new", new RecommendQuery(1, Scenario: "rot"))!, "rot");
        await StoredAsync(id);
        await Engine.DisposeAsync();
        Engine = await StartAsync();
        Assert.Equal(["i2"], Ids(Engine.Recommend("new", new RecommendQuery(1, Scenario: "rot"))));
    }

    [Fact]
    public async Task ShownItemsCountAsReadFeedbackOnlyWhenConfigured()
    {
        var off = Show("new", Recommend("new", n: 2));
        await StoredAsync(off);
        Assert.Empty((await Engine.GetUserFeedbackAsync("new", "read", Ct))!);

        var options = Options(0);
        options.Impressions.ReadFeedbackType = "read";
        await using var store = new InMemoryStore();
        await using var engine = await new FrescoEngineBuilder(store, options, Trainer) { Time = Time }.StartAsync(Ct);
        await engine.InsertFeedbackAsync([View("u", "i0"), View("v", "i0"), View("v", "i1"), View("w", "i2")], overwrite: false, Ct);
        var list = engine.Recommend("u", new RecommendQuery(2))!;
        Assert.Equal(2, list.Count);
        engine.RecordImpression(new ImpressionRequest("u", null, list));
        var read = await Eventually(async () => await engine.GetUserFeedbackAsync("u", "read", Ct) is { Count: 2 } rows ? rows : null);
        Assert.Equal(Ids(list).Order(), read.Select(f => f.ItemId).Order());
        Assert.All(read, f => Assert.Equal(0, f.Value));
    }
}
