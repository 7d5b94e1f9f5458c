using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Engine;
using Xunit;

namespace Fresco.Engine.Tests.Scenarios;

/// <summary>
/// Request parameters in filter expressions (<c>param.brand</c>) over the world of <see cref="EngineTestBase"/>, with
/// the result cache on: items i1, i3, i5 are brand "acme", i2, i4 brand "zeta". User "new" viewed i0; without a
/// scenario their list is i1 i2 (item-kNN) then trending i4 i5 i6 i3 i7, latest i9, catalog i8.
/// </summary>
public sealed class ScenarioParameterTests : EngineTestBase
{
    protected override int CacheUsers => 100;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Add(View("new", "i0", 1));
        await Brand("acme", "i1", "i3", "i5");
        await Brand("zeta", "i2", "i4");
    }

    private Task Brand(string brand, params string[] itemIds) =>
        Engine.InsertItemsAsync([.. itemIds.Select(id =>
        {
            var index = int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture);
            return new Item(id, false, [index % 2 == 0 ? "even" : "odd"], ["brand-" + brand], "", T0.AddDays(-10 + index));
        })], Ct);

    private IReadOnlyList<ScoredId>? Under(string? brand, string scenario = "brand", string user = "new") =>
        Engine.Recommend(user, new RecommendQuery(20, Scenario: scenario,
            Parameters: brand is null ? null : new Dictionary<string, string> { ["brand"] = brand }));

    [Fact]
    public async Task AFilterReadsTheRequestsParametersAndAMissingOneIsEmpty()
    {
        await Engine.PutScenarioAsync("brand", new Scenario { Filter = new ItemRule { Expression = "('brand-' + param.brand) in Labels" } }, Ct);
        Assert.Equal(["i1", "i5", "i3"], Ids(Under("acme")));
        Assert.Equal(["i2", "i4"], Ids(Under("zeta")));
        Assert.Empty(Ids(Under(null)));
        Assert.Empty(Ids(Under("")));

        await Engine.PutScenarioAsync("brand", new Scenario
        {
            Filter = new ItemRule { Categories = ["odd"], Expression = "param['brand'] == '' || ('brand-' + param['brand']) in Labels" },
        }, Ct);
        Assert.Equal(["i1", "i5", "i3", "i7", "i9"], Ids(Under(null)));
        Assert.Equal(["i1", "i5", "i3"], Ids(Under("acme")));
        Assert.Empty(Ids(Under("zeta"))); // zeta items are even
        var popular = Engine.NonPersonalized("popular", new RecommendQuery(20, Scenario: "brand",
            Parameters: new Dictionary<string, string> { ["brand"] = "acme", ["unused"] = "x" }));
        Assert.Equal(["i1", "i3", "i5"], Ids(popular).Order());
    }

    [Fact]
    public async Task EachParameterValueHasItsOwnCachedAnswer()
    {
        await Engine.PutScenarioAsync("brand", new Scenario { Filter = new ItemRule { Expression = "('brand-' + param.brand) in Labels" } }, Ct);
        Assert.Equal(["i1", "i5", "i3"], Ids(Under("acme")));
        Assert.Equal(["i2", "i4"], Ids(Under("zeta")));
        Assert.Equal(["i1", "i5", "i3"], Ids(Under("acme")));
        Assert.Empty(Ids(Under(null)));
    }

    [Fact]
    public async Task AParameterFilterFollowsTheCatalogAsItChanges()
    {
        await Engine.PutScenarioAsync("brand", new Scenario { Filter = new ItemRule { Expression = "('brand-' + param.brand) in Labels" } }, Ct);
        Assert.Equal(["i2", "i4"], Ids(Under("zeta")));
        await Brand("zeta", "i6");
        Assert.Equal(["i2", "i4", "i6"], Ids(Under("zeta")));
        await Brand("acme", "i2");
        Assert.Equal(["i4", "i6"], Ids(Under("zeta")));
        Assert.Equal(["i1", "i2", "i5", "i3"], Ids(Under("acme")));
    }

    [Fact]
    public async Task MoreValuesThanARuleKeepsAreEvaluatedAgainWhenAskedAgain()
    {
        await Engine.PutScenarioAsync("brand", new Scenario { Filter = new ItemRule { Expression = "('brand-' + param.brand) in Labels" } }, Ct);
        Assert.Equal(["i1", "i5", "i3"], Ids(Under("acme")));
        for (var i = 0; i < CompiledRule.MaxBindings + 5; i++)
        {
            Assert.Empty(Ids(Under("other-" + i)));
        }
        await Brand("acme", "i7");
        Assert.Equal(["i1", "i5", "i3", "i7"], Ids(Under("acme")));
    }

    [Theory]
    [InlineData("'brand' in param", "Filter.Expression")]
    [InlineData("size(param) > 0", "Filter.Expression")]
    [InlineData("param[Labels[0]] == 'x'", "Filter.Expression")]
    [InlineData("int(param.n) > 2", "Filter.Expression")] // fails with the parameter missing (empty)
    public async Task ABadUseOfParametersIsRefusedAtPut(string expression, string field)
    {
        var e = await Assert.ThrowsAsync<ScenarioException>(() =>
            Engine.PutScenarioAsync("brand", new Scenario { Filter = new ItemRule { Expression = expression } }, Ct));
        Assert.Equal(field, e.Where);
    }

    [Fact]
    public async Task BoostsDoNotReadParameters()
    {
        var e = await Assert.ThrowsAsync<ScenarioException>(() => Engine.PutScenarioAsync("brand",
            new Scenario { Boosts = [new BoostRule { Expression = "param.brand in Labels", Factor = 2 }] }, Ct));
        Assert.Equal("Boosts[0].Expression", e.Where);
    }

    [Fact]
    public async Task APromotionReadsParametersToo()
    {
        await Engine.PutScenarioAsync("brand", new Scenario
        {
            Promote = new PromoteRule { Filter = new ItemRule { Expression = "('brand-' + param.brand) in Labels" }, Share = 0.5 },
        }, Ct);
        var zeta = Ids(Engine.Recommend("new", new RecommendQuery(4, Scenario: "brand", Parameters: new Dictionary<string, string> { ["brand"] = "zeta" })));
        var acme = Ids(Engine.Recommend("new", new RecommendQuery(4, Scenario: "brand", Parameters: new Dictionary<string, string> { ["brand"] = "acme" })));
        Assert.Equal(["i2", "i4"], new[] { zeta[1], zeta[3] });
        Assert.Equal(["i1", "i5"], new[] { acme[1], acme[3] });
    }
}
