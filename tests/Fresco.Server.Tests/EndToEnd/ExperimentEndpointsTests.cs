using System.Text.Json;
using Fresco.Engine.Experiments;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// Experiments through the API on the real engine: stored, listed, deleted, refused with a field; personal
/// recommendations under the experiment's scenario answer as the user's variant says and name it in
/// <c>X-Experiment-Variant</c>; the results endpoint (over the fake engine's outcomes) and its admin-key protection.
/// </summary>
public sealed class ExperimentEndpointsTests : IDisposable
{
    private const string Header = "X-Experiment-Variant";
    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static Task<HttpResponseMessage> Put(TestApp app, string name, string json) => app.SendJson(HttpMethod.Put, $"/api/experiments/{name}", json);

    private static string Running(string variantB = """{"Name":"b-side","Weight":50,"Scenario":"only-b"}""", string scenario = "only-a")
    {
        var now = DateTimeOffset.UtcNow;
        return $$"""{"Scenario":"{{scenario}}","Variants":[{"Name":"control","Weight":50},{{variantB}}],"Start":"{{now.AddHours(-1):O}}","End":"{{now.AddHours(1):O}}"}""";
    }

    private static async Task SeedAsync(TestApp app)
    {
        await Shop.SeedAsync(app);
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/only-a", """{"Filter":{"Categories":["A"]}}"""));
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/only-b", """{"Filter":{"Categories":["B"]}}"""));
    }

    [Fact]
    public async Task ARunningExperimentAnswersEachUserAsTheirVariantSaysAndNamesIt()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await SeedAsync(app);
        var put = await app.Json(Put(app, "a-or-b", Running()));
        Assert.Equal(("a-or-b", "running"), (put.GetProperty("Name").GetString(), put.GetProperty("Status").GetString()));

        var seen = new HashSet<string>();
        foreach (var user in Enumerable.Range(0, Shop.UsersPerGroup).SelectMany(u => new[] { $"ua{u}", $"ub{u}" }))
        {
            using var response = await app.Get($"/api/recommend/{user}?n=3&scenario=only-a");
            Assert.Equal(200, (int)response.StatusCode);
            var variant = Assert.Single(response.Headers.GetValues(Header));
            seen.Add(variant);
            var ids = TestApp.Ids(JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement);
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.StartsWith(variant == "a-or-b/b-side" ? "b" : "a", id, StringComparison.Ordinal));
            using var again = await app.Get($"/api/recommend/{user}?n=3&scenario=only-a");
            Assert.Equal(variant, Assert.Single(again.Headers.GetValues(Header))); // sticky
        }
        Assert.Equal(["a-or-b/b-side", "a-or-b/control"], seen.Order(StringComparer.Ordinal));

        using (var plain = await app.Get("/api/recommend/ua0?n=3"))
        {
            Assert.False(plain.Headers.Contains(Header));
        }
        using (var other = await app.Get("/api/recommend/ua0?n=3&scenario=only-b"))
        {
            Assert.False(other.Headers.Contains(Header)); // no experiment on that scenario: it answers as it says
        }
    }

    [Fact]
    public async Task AVariantsModelScoresItsUsersRequestsAndControlKeepsTheServingModel()
    {
        (string, string?)[] popularity = [("Training:Model", "popularity"), ("Training:Interval", "00:00:00"), ("Training:AfterEvents", "0"),
            ("Training:MinEvents", "10")];
        await using (var app = await TestApp.StartRealAsync(_data.Path, popularity))
        {
            await SeedAsync(app);
            Assert.Equal("popularity", await Shop.TrainAsync(app));
        }
        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            Assert.Equal("als", await Shop.TrainAsync(app));
            await app.Json(Put(app, "trend", Running("""{"Name":"trend","Weight":50,"Model":"popularity"}""")));

            var sources = new Dictionary<string, HashSet<string>>();
            foreach (var user in Enumerable.Range(0, Shop.UsersPerGroup).Select(u => $"ua{u}"))
            {
                using var response = await app.Get($"/api/recommend/{user}?n=3&explain=true&scenario=only-a");
                Assert.Equal(200, (int)response.StatusCode);
                var variant = Assert.Single(response.Headers.GetValues(Header));
                var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
                Assert.NotEmpty(TestApp.Ids(items));
                if (!sources.TryGetValue(variant, out var seen))
                {
                    sources[variant] = seen = [];
                }
                foreach (var item in items.EnumerateArray())
                {
                    seen.Add(item.GetProperty("Source").GetString()!);
                }
            }
            Assert.Equal(["popularity"], sources["trend/trend"]); // the variant's model, under the scenario's filter
            Assert.Equal(["als"], sources["trend/control"]); // control answers with the serving model
        }
    }

    [Fact]
    public async Task ExperimentsAreListedReadDeletedAndSurviveARestart()
    {
        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            await SeedAsync(app);
            Assert.Equal("als", await Shop.TrainAsync(app)); // a variant's model must be stored
            await app.Json(Put(app, "a-or-b", Running()));
            var later = DateTimeOffset.UtcNow.AddDays(2);
            await app.Json(Put(app, "next", $$"""
                {"Scenario":"only-a","Variants":[{"Name":"control","Weight":1},{"Name":"als","Weight":1,"Model":"als"}],
                 "Start":"{{later:O}}","End":"{{later.AddDays(1):O}}"}
                """));
        }
        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            var listed = await app.Json(app.Get("/api/experiments"));
            Assert.Equal(["a-or-b", "next"], listed.EnumerateArray().Select(e => e.GetProperty("Name").GetString()));
            Assert.Equal(["running", "scheduled"], listed.EnumerateArray().Select(e => e.GetProperty("Status").GetString()));
            var read = await app.Json(app.Get("/api/experiments/next"));
            Assert.Equal("als", read.GetProperty("Definition").GetProperty("Variants")[1].GetProperty("Model").GetString());
            using (var assigned = await app.Get("/api/recommend/ua0?scenario=only-a"))
            {
                Assert.True(assigned.Headers.Contains(Header));
            }
            var results = await app.Json(app.Get("/api/experiments/a-or-b/results")); // counted in ExperimentOutcomeTests
            Assert.Equal(["control", "b-side"], results.GetProperty("Variants").EnumerateArray().Select(v => v.GetProperty("Name").GetString()));

            using (var deleted = await app.Delete("/api/experiments/a-or-b"))
            {
                Assert.Equal(204, (int)deleted.StatusCode);
            }
            using (var after = await app.Get("/api/recommend/ua0?scenario=only-a"))
            {
                Assert.Equal(200, (int)after.StatusCode);
                Assert.False(after.Headers.Contains(Header));
            }
            await app.Problem(app.Get("/api/experiments/a-or-b"), 404);
            await app.Problem(app.Delete("/api/experiments/a-or-b"), 404);
            await app.Problem(app.Get("/api/experiments/a-or-b/results"), 404);
        }
    }

    [Theory]
    [InlineData("""{"Name":"b-side","Weight":0}""", "only-a", "Variants[1].Weight")]
    [InlineData("""{"Name":"control","Weight":50}""", "only-a", "Variants[1].Name")]
    [InlineData("""{"Name":"b-side","Weight":50,"Scenario":"only-c"}""", "only-a", "Variants[1].Scenario")]
    [InlineData("""{"Name":"b-side","Weight":50}""", "nowhere", "Scenario")]
    [InlineData("""{"Name":"b-side","Weight":50}""", "only-b", "Start")] // overlaps "first" on only-b
    [InlineData("""{"Name":"b-side","Weight":50,"Model":"ease"}""", "only-a", "Variants[1].Model")] // no model of that kind is stored
    public async Task ABadExperimentIsAProblemThatNamesTheField(string variantB, string scenario, string field)
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await SeedAsync(app);
        await app.Json(Put(app, "first", Running(scenario: "only-b")));
        using var response = await Put(app, "second", Running(variantB, scenario));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(field + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await app.Json(app.Get("/api/experiments"))).GetArrayLength());
        Assert.Contains("Weights", await app.Problem(Put(app, "third", """{"Scenario":"only-a","Weights":[1]}"""), 400));
    }

    [Fact]
    public async Task ResultsAreServedAsTheEngineComputesThemAndNeedTheAdminKey()
    {
        await using var app = await TestApp.StartAsync(("Server:ApiKey", "admin-key"), ("Server:ReadApiKeys:0", "shop-1"));
        app.Client.DefaultRequestHeaders.Add("X-API-Key", "admin-key");
        await app.Json(Put(app, "a-or-b", Running()));
        var empty = await app.Json(app.Get("/api/experiments/a-or-b/results"));
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("SampleRatioPValue").ValueKind); // no user has been shown anything yet
        Assert.All(empty.GetProperty("Variants").EnumerateArray(), v => Assert.Equal(0, v.GetProperty("Users").GetInt32()));
        app.Engine.ExperimentResults = ExperimentAnalysis.Analyze("a-or-b", new Experiment
        {
            Scenario = "only-a",
            Variants = [new() { Name = "control", Weight = 1 }, new() { Name = "b-side", Weight = 1 }],
        }, [new("u1", "control", 10, 1, 1, 1, 25), new("u2", "control", 10, 0, 0, 0, 0), new("u3", "b-side", 10, 2, 0, 0, 0), new("u4", "b-side", 5, 1, 0, 0, 0)]);

        var results = await app.Json(app.Get("/api/experiments/a-or-b/results"));
        Assert.Equal("a-or-b", results.GetProperty("Experiment").GetString());
        Assert.Equal(1.0, results.GetProperty("SampleRatioPValue").GetDouble(), 12);
        var control = results.GetProperty("Variants")[0];
        Assert.Equal(JsonValueKind.Null, control.GetProperty("Difference").ValueKind);
        Assert.Equal(0.05, control.GetProperty("Ctr").GetDouble(), 12);
        Assert.Equal(12.5, control.GetProperty("RevenuePerUser").GetDouble(), 12);
        var b = results.GetProperty("Variants")[1];
        Assert.Equal((2, 15, 3), (b.GetProperty("Users").GetInt32(), b.GetProperty("Impressions").GetInt32(), b.GetProperty("Clicks").GetInt32()));
        Assert.Equal(0.15, b.GetProperty("Difference").GetProperty("Ctr").GetDouble(), 12);
        Assert.Equal(2, b.GetProperty("ConfidenceInterval").GetProperty("ConversionRate").GetArrayLength());
        Assert.True(b.GetProperty("PValue").TryGetProperty("RevenuePerUser", out _));

        app.Client.DefaultRequestHeaders.Remove("X-API-Key");
        app.Client.DefaultRequestHeaders.Add("X-API-Key", "shop-1");
        await app.Problem(app.Get("/api/experiments/a-or-b/results"), 403);
        await app.Problem(app.Get("/api/experiments"), 403);
        await app.Problem(Put(app, "other", Running()), 403);
    }
}
