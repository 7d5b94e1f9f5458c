using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Engine;
using Xunit;

namespace Fresco.Engine.Tests.Scenarios;

/// <summary>
/// Scenario rules one by one and together, in the real-time path of the engine, over the hand-checked world of
/// <see cref="EngineTestBase"/>. User "new" viewed i0; without a scenario their list is i1 i2 (item-kNN) then trending
/// i4 i5 i6 i3 i7, latest i9, catalog i8.
/// </summary>
public sealed class EngineScenarioTests : EngineTestBase
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Add(View("new", "i0", 1));
    }

    private Task<ScenarioVersion> Put(Scenario scenario, string name = "home") => Engine.PutScenarioAsync(name, scenario, Ct);

    private IReadOnlyList<ScoredId>? Under(string scenario, int n = 20, int offset = 0, string user = "new") =>
        Engine.Recommend(user, new RecommendQuery(n, offset, Scenario: scenario));

    private Task Label(string itemId, params string[] labels)
    {
        var index = int.Parse(itemId[1..], System.Globalization.CultureInfo.InvariantCulture);
        return Engine.InsertItemsAsync([new Item(itemId, false, [index % 2 == 0 ? "even" : "odd"], labels, "",
            index == 8 ? DateTimeOffset.MinValue : T0.AddDays(-10 + index))], Ct);
    }

    [Fact]
    public async Task AFilterKeepsOnlyMatchingItemsInEveryStage()
    {
        Assert.Equal(["i1", "i2", "i4", "i5", "i6", "i3", "i7", "i9", "i8"], Ids(Recommend("new", n: 20)));

        await Put(new Scenario { Filter = new ItemRule { Categories = ["odd"] } });
        Assert.Equal(["i1", "i5", "i3", "i7", "i9"], Ids(Under("home")));
        var odd = Ids(Engine.NonPersonalized("popular", new RecommendQuery(20)))
            .Where(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1);
        Assert.Equal(odd, Ids(Engine.NonPersonalized("popular", new RecommendQuery(20, Scenario: "home"))));

        await Put(new Scenario { Filter = new ItemRule { Expression = "ItemId != 'i1' && !('odd' in Categories)" } });
        Assert.Equal(["i2", "i4", "i6", "i8"], Ids(Under("home")));
    }

    [Fact]
    public async Task SessionsAndNeighboursFollowTheScenarioToo()
    {
        await Put(new Scenario { Filter = new ItemRule { Categories = ["even"] } });
        var session = Engine.RecommendSession([View("", "i0")], new RecommendQuery(20, Scenario: "home"));
        Assert.NotEmpty(session);
        Assert.All(Ids(session), id => Assert.Equal(0, int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2));
        Assert.DoesNotContain("i0", Ids(session));

        Assert.Contains("i1", Ids(Engine.ItemNeighbors("i0", new RecommendQuery(5))));
        var neighbours = Engine.ItemNeighbors("i0", new RecommendQuery(5, Scenario: "home"));
        Assert.Equal(["i2"], Ids(neighbours));
    }

    [Fact]
    public async Task ExcludedLabelsFollowTheCatalogAsItChanges()
    {
        await Put(new Scenario { Filter = new ItemRule { ExcludeLabels = ["out-of-stock"] } });
        Assert.Equal(["i1", "i2", "i4", "i5"], Ids(Under("home", n: 4)));

        await Label("i1", "out-of-stock");
        Assert.Equal(["i2", "i4", "i5", "i6"], Ids(Under("home", n: 4)));

        await Label("i1");
        Assert.Equal(["i1", "i2", "i4", "i5"], Ids(Under("home", n: 4)));
    }

    [Fact]
    public async Task AnAgeLimitMovesWithTheClock()
    {
        await Put(new Scenario { Filter = new ItemRule { MaxAgeDays = 5 } }); // i5 (T0 - 5 d) and newer; i8 has no date
        Assert.Equal(["i5", "i6", "i7", "i9"], Ids(Under("home")));

        Time.Advance(TimeSpan.FromDays(2.5));
        Assert.Equal(["i9"], Ids(Under("home")));
    }

    [Fact]
    public async Task EachKindOfBoostMultipliesThePersonalScore()
    {
        Assert.Equal(["i1", "i2"], Ids(Recommend("new", n: 2)));

        await Label("i2", "sale");
        await Put(new Scenario { Boosts = [new BoostRule { Labels = ["sale"], Factor = 3 }] });
        var list = Under("home", n: 2);
        Assert.Equal(["i2", "i1"], Ids(list));
        Assert.Equal(1.5f, list![0].Score, 4);

        await Put(new Scenario { Boosts = [new BoostRule { MaxAgeDays = 8.5, Factor = 3 }] }); // i2 is 8 days old, i1 9
        Assert.Equal(["i2", "i1"], Ids(Under("home", n: 2)));

        await Put(new Scenario { Boosts = [new BoostRule { Expression = "ItemId == 'i1'", Factor = 0.1 }, new BoostRule { Categories = ["even"], Factor = 1.5 }] });
        list = Under("home", n: 2);
        Assert.Equal(["i2", "i1"], Ids(list));
        Assert.Equal(0.75f, list![0].Score, 4);
        Assert.Equal(0.1f, list[1].Score, 4);
    }

    [Fact]
    public async Task ABoostFollowsTheCatalogAsItChanges()
    {
        await Put(new Scenario { Boosts = [new BoostRule { Labels = ["sale"], Factor = 3 }] });
        Assert.Equal(["i1", "i2"], Ids(Under("home", n: 2)));

        await Label("i2", "sale");
        Assert.Equal(["i2", "i1"], Ids(Under("home", n: 2)));

        await Label("i2");
        Assert.Equal(["i1", "i2"], Ids(Under("home", n: 2)));
    }

    [Fact]
    public async Task TheDiversityCapHoldsAndKeepsTheBestOrderOtherwise()
    {
        await Put(new Scenario { Diversity = new DiversityRule { MaxPerCategory = 2 } });
        Assert.Equal(["i1", "i2", "i4", "i5"], Ids(Under("home", n: 6)));

        await Put(new Scenario { Diversity = new DiversityRule { MaxPerCategory = 1 } });
        Assert.Equal(["i1", "i2"], Ids(Under("home", n: 6)));
    }

    [Fact]
    public async Task PromotedItemsTakeTheirShareOfSlotsAtStablePositions()
    {
        await Label("i7", "new-arrival");
        await Label("i9", "new-arrival");
        await Put(new Scenario { Promote = new PromoteRule { Filter = new ItemRule { Labels = ["new-arrival"] }, Share = 0.25 } });

        // Slots 3 and 7 are promoted; the best matching items fill them (i7 from trending, then i9 from latest).
        Assert.Equal(["i1", "i2", "i4", "i7", "i5", "i6", "i3", "i9"], Ids(Under("home", n: 8)));
        Assert.Equal(["i5", "i6", "i3", "i9"], Ids(Under("home", n: 4, offset: 4)));
        Assert.Equal(["i1", "i2", "i4", "i7"], Ids(Under("home", n: 4)));
        // Too few matching items: the others fill the promoted slots.
        Assert.Equal(["i1", "i2", "i4", "i7", "i5", "i6", "i3", "i9", "i8"], Ids(Under("home", n: 12)));
    }

    [Fact]
    public async Task RulesTogetherStillFollowEveryEvent()
    {
        await Label("i3", "sale");
        await Put(new Scenario
        {
            Filter = new ItemRule { ExcludeLabels = ["out-of-stock"] },
            Boosts = [new BoostRule { Labels = ["sale"], Factor = 10 }],
            Diversity = new DiversityRule { MaxPerCategory = 3 },
        });
        Assert.Equal("i1", Under("home", n: 4)![0].Id);

        await Add(View("new", "i2", 2)); // i2's neighbours now include i3 (on sale: boosted to the top)
        var list = Under("home", n: 6);
        Assert.Equal("i3", list![0].Id);
        Assert.DoesNotContain("i2", Ids(list));
        Assert.True(Ids(list).GroupBy(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2).All(g => g.Count() <= 3));
    }

    [Fact]
    public async Task ABadRuleIsRefusedAtPutNamingWhereAndNothingIsStored()
    {
        async Task<ScenarioException> Refused(Scenario scenario) => await Assert.ThrowsAsync<ScenarioException>(() => Put(scenario, "bad"));

        Assert.Equal("Boosts[1].Expression", (await Refused(new Scenario
        {
            Boosts = [new BoostRule { Labels = ["sale"], Factor = 2 }, new BoostRule { Expression = "ItemId == ", Factor = 2 }],
        })).Where);
        Assert.Contains("not a bool", (await Refused(new Scenario { Filter = new ItemRule { Expression = "ItemId" } })).Reason);
        Assert.Equal("Filter.Expression", (await Refused(new Scenario { Filter = new ItemRule { Expression = "Price > 3" } })).Where);
        Assert.Contains("a probe item with no field set", (await Refused(new Scenario { Filter = new ItemRule { Expression = "Labels[0] == 'x'" } })).Reason);
        Assert.Contains("item 'i3'", (await Refused(new Scenario { Filter = new ItemRule { Expression = "ItemId == 'i3' ? Labels[0] == 'x' : true" } })).Reason);
        Assert.Equal("Boosts[0].Factor", (await Refused(new Scenario { Boosts = [new BoostRule { Factor = 0 }] })).Where);
        Assert.Equal("Diversity.MaxPerCategory", (await Refused(new Scenario { Diversity = new DiversityRule() })).Where);
        Assert.Equal("Promote.Share", (await Refused(new Scenario { Promote = new PromoteRule { Filter = new ItemRule(), Share = 1.5 } })).Where);
        Assert.Equal("Promote.Filter", (await Refused(new Scenario { Promote = new PromoteRule { Share = 0.5 } })).Where);
        Assert.Equal("Filter.Labels", (await Refused(new Scenario { Filter = new ItemRule { Labels = [] } })).Where);
        Assert.Equal("Model", (await Refused(new Scenario { Model = "als" })).Where);
        Assert.Equal("Rotation.Factor", (await Refused(new Scenario { Rotation = new RotationRule { Factor = 1.5, Hours = 24 } })).Where);
        Assert.Equal("Rotation.Hours", (await Refused(new Scenario { Rotation = new RotationRule { Factor = 0.5 } })).Where);

        Assert.Null(await Engine.GetScenarioAsync("bad", Ct));
        Assert.Empty(await Store.ListScenariosAsync(Ct));
        Assert.Throws<ArgumentException>(() => Under("bad"));
    }

    [Fact]
    public async Task VersionsAreStoredAndAnotherReplicaServesThemAfterAReload()
    {
        var announced = new List<string>();
        await Engine.DisposeAsync();
        Engine = await new FrescoEngineBuilder(Store, Options(0), Trainer) { Time = Time, ScenariosChanged = announced.Add }.StartAsync(Ct);
        await using var replica = await StartAsync(); // a second engine on the same store

        var first = await Put(new Scenario { Filter = new ItemRule { Categories = ["odd"] } });
        Assert.Equal(["home"], announced);
        Assert.Throws<ArgumentException>(() => replica.Recommend("new", new RecommendQuery(4, Scenario: "home")));
        await replica.ReloadScenariosAsync(Ct);
        Assert.Equal(["i1", "i5", "i3", "i7"], Ids(replica.Recommend("new", new RecommendQuery(4, Scenario: "home"))));

        var second = await Put(new Scenario { Filter = new ItemRule { Categories = ["even"] } });
        Assert.True(second.Version > first.Version);
        var read = await replica.GetScenarioAsync("home", Ct);
        Assert.Equal((second.Name, second.Version, second.UpdatedAt), (read!.Name, read.Version, read.UpdatedAt));
        Assert.Equal(["even"], read.Definition.Filter!.Categories!);
        Assert.Equal(["i1", "i5", "i3", "i7"], Ids(replica.Recommend("new", new RecommendQuery(4, Scenario: "home"))));
        await replica.ReloadScenariosAsync(Ct);
        Assert.Equal(["i2", "i4", "i6", "i8"], Ids(replica.Recommend("new", new RecommendQuery(4, Scenario: "home"))));

        Assert.True(await Engine.DeleteScenarioAsync("home", Ct));
        Assert.Equal(["home", "home"], announced.Skip(1));
        await replica.ReloadScenariosAsync(Ct);
        Assert.Throws<ArgumentException>(() => replica.Recommend("new", new RecommendQuery(4, Scenario: "home")));
        Assert.Empty(await replica.ListScenariosAsync(Ct));
    }

    [Fact]
    public async Task AScenarioSurvivesARestart()
    {
        var put = await Put(new Scenario { Diversity = new DiversityRule { MaxPerCategory = 1 } });
        await Engine.DisposeAsync();
        Engine = await StartAsync();
        Assert.Equal([put.Version], (await Engine.ListScenariosAsync(Ct)).Select(s => s.Version));
        Assert.Equal(["i1", "i2"], Ids(Under("home", n: 6)));
    }

    [Fact]
    public async Task AWarmedRecommendUnderAScenarioAllocatesLittleBeyondItsResult()
    {
        await Label("i7", "new-arrival");
        await Label("i2", "sale");
        await Put(new Scenario
        {
            Filter = new ItemRule { ExcludeLabels = ["out-of-stock"], MaxAgeDays = 30 },
            Boosts = [new BoostRule { Labels = ["sale"], Factor = 2 }],
            Diversity = new DiversityRule { MaxPerCategory = 3 },
            Promote = new PromoteRule { Filter = new ItemRule { Labels = ["new-arrival"] }, Share = 0.25 },
        });
        var query = new RecommendQuery(6, Scenario: "home");
        for (var i = 0; i < 5; i++)
        {
            Engine.Recommend("new", query);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var list = Engine.Recommend("new", query);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(6, list!.Count);
        Assert.True(allocated < 1024 + 6 * 32, $"{allocated} bytes allocated");
    }

    [Fact]
    public async Task AWarmedRecommendWithARequestParameterAllocatesLittleBeyondItsResult()
    {
        await Label("i2", "brand-acme");
        await Put(new Scenario { Filter = new ItemRule { Expression = "param.brand == '' || ('brand-' + param.brand) in Labels || 'odd' in Categories" } });
        var query = new RecommendQuery(3, Scenario: "home", Parameters: new Dictionary<string, string> { ["brand"] = "acme" });
        for (var i = 0; i < 5; i++)
        {
            Engine.Recommend("new", query);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var list = Engine.Recommend("new", query);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(["i1", "i2", "i5"], Ids(list));
        Assert.True(allocated < 512 + 3 * 32, $"{allocated} bytes allocated");
    }
}
