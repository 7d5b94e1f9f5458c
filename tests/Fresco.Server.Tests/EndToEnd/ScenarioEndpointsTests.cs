using System.Text.Json;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>Scenarios through the API on the real engine: stored, versioned, applied with <c>scenario=</c>, refused with a field.</summary>
public sealed class ScenarioEndpointsTests : IDisposable
{
    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static Task<HttpResponseMessage> Put(TestApp app, string name, string json) => app.SendJson(HttpMethod.Put, $"/api/scenarios/{name}", json);

    [Fact]
    public async Task AScenarioIsStoredVersionedAppliedAndSurvivesARestart()
    {
        long version;
        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            await Shop.SeedAsync(app);
            await Shop.TrainAsync(app);
            Assert.All(TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5"))), id => Assert.StartsWith("a", id, StringComparison.Ordinal));

            var first = await app.Json(Put(app, "home", """{"Filter":{"Categories":["B"]}}"""));
            Assert.Equal("home", first.GetProperty("Name").GetString());
            var onlyB = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5&scenario=home")));
            Assert.Equal(5, onlyB.Length);
            Assert.All(onlyB, id => Assert.StartsWith("b", id, StringComparison.Ordinal));
            Assert.All(TestApp.Ids(await app.Json(app.Get("/api/popular?n=5&scenario=home"))), id => Assert.StartsWith("b", id, StringComparison.Ordinal));
            Assert.All(TestApp.Ids(await app.Json(app.Get("/api/item/a0/neighbors?n=5&scenario=home"))),
                id => Assert.StartsWith("b", id, StringComparison.Ordinal));

            var second = await app.Json(Put(app, "home", """{"Filter":{"ExcludeCategories":["B"]},"Diversity":{"MaxPerCategory":2}}"""));
            version = second.GetProperty("Version").GetInt64();
            Assert.True(version > first.GetProperty("Version").GetInt64());
            Assert.Equal(2, TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5&scenario=home"))).Length);
            var listed = await app.Json(app.Get("/api/scenarios"));
            Assert.Equal(version, listed[0].GetProperty("Version").GetInt64());
        }

        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            var read = await app.Json(app.Get("/api/scenarios/home"));
            Assert.Equal(version, read.GetProperty("Version").GetInt64());
            Assert.Equal(2, read.GetProperty("Definition").GetProperty("Diversity").GetProperty("MaxPerCategory").GetInt32());
            Assert.Equal(2, TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5&scenario=home"))).Length);

            using (var deleted = await app.Delete("/api/scenarios/home"))
            {
                Assert.Equal(204, (int)deleted.StatusCode);
            }
            await app.Problem(app.Get("/api/scenarios/home"), 404);
            await app.Problem(app.Delete("/api/scenarios/home"), 404);
            Assert.Contains("unknown scenario 'home'", await app.Problem(app.Get("/api/recommend/ua0?scenario=home"), 400));
        }
    }

    [Theory]
    [InlineData("""{"Boosts":[{"Labels":["sale"],"Factor":2},{"Expression":"Labels.exists(l, l ==","Factor":2}]}""", "Boosts[1].Expression")]
    [InlineData("""{"Filter":{"Expression":"Price < 10"}}""", "Filter.Expression")]
    [InlineData("""{"Promote":{"Filter":{"Labels":["new"]},"Share":2}}""", "Promote.Share")]
    [InlineData("""{"Rotation":{"Factor":0,"Hours":24}}""", "Rotation.Factor")]
    [InlineData("""{"Model":"bogus"}""", "Model")]
    [InlineData("""{"Model":"als"}""", "Model")] // no model of that kind is stored
    [InlineData("""{"Model":"7"}""", "Model")]
    [InlineData("""{"Filter":{"Expression":"size(param) > 0"}}""", "Filter.Expression")]
    public async Task ABadRuleIsAProblemThatNamesTheField(string scenario, string field)
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        using var response = await Put(app, "home", scenario);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(field + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await app.Json(app.Get("/api/scenarios"))).GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownFieldOrMalformedBodyIsRefusedWithItsPath()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        Assert.Contains("Boost", await app.Problem(Put(app, "home", """{"Boost":[{"Factor":2}]}"""), 400));
        Assert.Contains("Filter", await app.Problem(Put(app, "home", """{"Filter":{"Categories":"A"}}"""), 400));
        await app.Problem(Put(app, "home", "null"), 400);
    }

    [Fact]
    public async Task AFilterReadsRequestParametersAndEachValueHasItsOwnAnswer()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        await Shop.TrainAsync(app);
        await app.Json(Put(app, "shelf", """{"Filter":{"Expression":"param.shelf in Categories"}}"""));

        // The result cache is on (Recommend:CacheUsers): the same user with another value is another answer.
        Assert.All(TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5&scenario=shelf&param.shelf=B"))),
            id => Assert.StartsWith("b", id, StringComparison.Ordinal));
        var onlyA = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5&scenario=shelf&param.shelf=A")));
        Assert.Equal(5, onlyA.Length);
        Assert.All(onlyA, id => Assert.StartsWith("a", id, StringComparison.Ordinal));
        Assert.Empty(TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=5&scenario=shelf"))));
        Assert.Contains("param.shelf", await app.Problem(app.Get("/api/recommend/ua0?scenario=shelf&param.shelf=A&param.shelf=B"), 400));
    }

    [Fact]
    public async Task AScenarioModelPicksTheKindThatScores()
    {
        (string, string?)[] popularity = [("Training:Model", "popularity"), ("Training:Interval", "00:00:00"), ("Training:AfterEvents", "0"),
            ("Training:MinEvents", "10")];
        await using (var app = await TestApp.StartRealAsync(_data.Path, popularity))
        {
            await Shop.SeedAsync(app);
            Assert.Equal("popularity", await Shop.TrainAsync(app));
        }
        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            Assert.Equal("als", await Shop.TrainAsync(app));
            await app.Json(Put(app, "trend", """{"Model":"popularity"}"""));
            await app.Json(Put(app, "first", """{"Model":"1"}"""));
            var trend = await app.Json(app.Get("/api/recommend/ua0?n=3&explain=true&scenario=trend"));
            Assert.All(trend.EnumerateArray(), e => Assert.Equal("popularity", e.GetProperty("Source").GetString()));
            Assert.Equal(TestApp.Ids(trend), TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=3&scenario=first"))));
            var serving = await app.Json(app.Get("/api/recommend/ua0?n=3&explain=true"));
            Assert.All(serving.EnumerateArray(), e => Assert.Equal("als", e.GetProperty("Source").GetString()));

            var problem = await app.Json(Put(app, "ease", """{"Model":"ease"}"""), 400);
            Assert.Equal("Model", problem.GetProperty("field").GetString());
            Assert.Contains("1 popularity", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
