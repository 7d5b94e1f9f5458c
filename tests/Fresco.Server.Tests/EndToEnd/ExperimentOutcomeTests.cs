using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// An A/B experiment measured end to end through the API on the real engine and its SQLite store: simulated users are
/// assigned, shown answers (recorded as impressions with their variant), send clicks, carts and purchases with and
/// without the answer's <c>RecommId</c>, and <c>GET /api/experiments/{name}/results</c> counts exactly what they did and
/// detects the variant that truly converts more.
/// </summary>
/// <remarks>
/// The shop: 15 popular items <c>p0..p14</c> (20 views each), 5 items on sale <c>s0..s4</c> and <c>x0</c> (one view
/// each), which every simulated user has viewed before the experiment (a history, so the model scores them); the
/// popularity model scores every item the same for every user. The control scenario <c>home</c> shows the popular items;
/// the variant <c>sale</c> answers with <c>home-sale</c>, which boosts items labelled <c>sale</c> a hundredfold, so its
/// users see the five sale items first. A simulated user clicks the first item shown and buys it with probability 0.6
/// when it is on sale, 0.1 otherwise (a seeded draw), so the variant truly converts more.
/// </remarks>
public sealed class ExperimentOutcomeTests : IDisposable
{
    private const int Users = 240;
    private const int Page = 5;
    private const double Price = 10;
    private static readonly string[] s_sale = ["s0", "s1", "s2", "s3", "s4"];

    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static readonly (string Key, string? Value)[] s_settings =
    [
        ("Training:Model", "popularity"),
        ("Training:Interval", "00:00:00"),
        ("Training:AfterEvents", "0"),
        ("Training:MinEvents", "10"),
    ];

    /// <summary>What the test itself counted for one variant, to compare with the endpoint's answer.</summary>
    private sealed class Tally
    {
        public int Users;
        public int Impressions;
        public int Clicks;
        public int Carts;
        public int Purchases;
    }

    [Fact]
    public async Task ResultsCountWhatTheUsersWereShownAndDidAndDetectTheVariantThatConvertsMore()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, s_settings);
        await SeedAsync(app);
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await app.Json(app.SendJson(HttpMethod.Put, "/api/experiments/sale-boost", $$"""
            {"Scenario":"home","Variants":[{"Name":"control","Weight":50},{"Name":"sale","Weight":50,"Scenario":"home-sale"}],
             "Start":"{{now.AddHours(-1):O}}","End":"{{now.AddHours(1):O}}"}
            """));

        var tallies = new Dictionary<string, Tally> { ["control"] = new(), ["sale"] = new() };
        var random = new Random(20261205);
        for (var u = 0; u < Users; u++)
        {
            var user = $"sim{u}";
            var (variant, recommId, shown) = await ShowAsync(app, user);
            var tally = tallies[variant];
            tally.Users++;
            tally.Impressions++;
            // The boost makes the known set win: the sale variant's page is the five sale items, the control's has none.
            Assert.True(variant == "sale" ? shown.All(s_sale.Contains) : !shown.Any(s_sale.Contains), $"{user} in {variant}: {string.Join(',', shown)}");
            if (u % 5 == 0)
            {
                var again = await ShowAsync(app, user); // a second visit: one more impression, same variant (sticky)
                Assert.Equal(variant, again.Variant);
                tally.Impressions++;
            }

            var first = shown[0];
            var byId = u % 2 == 0 ? recommId : null; // half the feedback names its answer, half is credited by last touch
            var feedback = new List<string> { Feedback("click", user, first, byId), Feedback("view", user, first, byId) };
            tally.Clicks++;
            if (u % 6 == 0)
            {
                feedback.Add(Feedback("cart", user, first, recommId));
                tally.Carts++;
            }
            if (random.NextDouble() < (s_sale.Contains(first) ? 0.6 : 0.1))
            {
                feedback.Add(Feedback("purchase", user, first, u % 4 == 1 ? recommId : null, Price));
                tally.Purchases++;
            }
            if (u % 7 == 0)
            {
                var unseen = variant == "sale" ? "p0" : "s0"; // never shown to this user: not credited without an id
                feedback.Add(Feedback("click", user, unseen, null));
            }
            var written = await app.Json(app.Post("/api/feedback", $"[{string.Join(',', feedback)}]"));
            Assert.Equal(feedback.Count, written.GetProperty("RowAffected").GetInt32());
        }

        var expectedImpressions = tallies.Values.Sum(t => t.Impressions);
        var results = await ResultsOnceStoredAsync(app, expectedImpressions, ct);
        Assert.Equal(("sale-boost", "home"), (results.GetProperty("Experiment").GetString(), results.GetProperty("Scenario").GetString()));
        var variants = results.GetProperty("Variants");
        Assert.Equal(["control", "sale"], variants.EnumerateArray().Select(v => v.GetProperty("Name").GetString()));
        foreach (var v in variants.EnumerateArray())
        {
            var t = tallies[v.GetProperty("Name").GetString()!];
            Assert.Equal((t.Users, t.Impressions, t.Clicks, t.Carts, t.Purchases),
                (Int(v, "Users"), Int(v, "Impressions"), Int(v, "Clicks"), Int(v, "Carts"), Int(v, "Purchases")));
            Assert.Equal((double)t.Clicks / t.Impressions, v.GetProperty("Ctr").GetDouble(), 12);
            Assert.Equal((double)t.Purchases / t.Users, v.GetProperty("ConversionRate").GetDouble(), 12); // one purchase per user at most
            Assert.Equal(Price * t.Purchases / t.Users, v.GetProperty("RevenuePerUser").GetDouble(), 9);
        }

        var control = tallies["control"];
        var sale = tallies["sale"];
        Assert.True(control.Users > 80 && sale.Users > 80, $"{control.Users} / {sale.Users} users"); // the hash split 240 users
        Assert.True(results.GetProperty("SampleRatioPValue").GetDouble() > 0.001); // assignment and recording are not broken

        var b = variants[1];
        var difference = b.GetProperty("Difference").GetProperty("ConversionRate").GetDouble();
        Assert.Equal((double)sale.Purchases / sale.Users - (double)control.Purchases / control.Users, difference, 12);
        var interval = b.GetProperty("ConfidenceInterval").GetProperty("ConversionRate");
        Assert.True(interval[0].GetDouble() > 0, $"interval [{interval[0]}, {interval[1]}]");
        Assert.True(b.GetProperty("PValue").GetProperty("ConversionRate").GetDouble() < 0.001);
        Assert.True(b.GetProperty("PValue").GetProperty("RevenuePerUser").GetDouble() < 0.001);
        Assert.Equal(JsonValueKind.Null, variants[0].GetProperty("PValue").ValueKind);
    }

    private static int Int(JsonElement variant, string name) => variant.GetProperty(name).GetInt32();

    private static string Feedback(string type, string user, string item, string? recommId, double value = 0) =>
        $$"""{"FeedbackType":"{{type}}","UserId":"{{user}}","ItemId":"{{item}}","Value":{{value.ToString(CultureInfo.InvariantCulture)}}{{(recommId is null ? "" : $",\"RecommId\":\"{recommId}\"")}}}""";

    private static async Task<(string Variant, string RecommId, string[] Items)> ShowAsync(TestApp app, string user)
    {
        using var response = await app.Get($"/api/recommend/{user}?n={Page}&scenario=home");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{user}: {(int)response.StatusCode} {text}");
        var header = Assert.Single(response.Headers.GetValues("X-Experiment-Variant"));
        Assert.StartsWith("sale-boost/", header, StringComparison.Ordinal);
        var items = TestApp.Ids(JsonDocument.Parse(text).RootElement);
        Assert.Equal(Page, items.Length);
        return (header["sale-boost/".Length..], Assert.Single(response.Headers.GetValues("X-Recommendation-Id")), items);
    }

    /// <summary>Impressions are written in the background: polls the results until they count all of them (10 s at most).</summary>
    private static async Task<JsonElement> ResultsOnceStoredAsync(TestApp app, int impressions, CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            var results = await app.Json(app.Get("/api/experiments/sale-boost/results"));
            var stored = results.GetProperty("Variants").EnumerateArray().Sum(v => v.GetProperty("Impressions").GetInt32());
            if (stored == impressions || i == 500)
            {
                Assert.Equal(impressions, stored);
                return results;
            }
            await Task.Delay(20, ct);
        }
    }

    /// <summary>The catalog, the seed users' views, the users to simulate, the model and the two scenarios.</summary>
    private static async Task SeedAsync(TestApp app)
    {
        var items = Enumerable.Range(0, 15).Select(i => $$"""{"ItemId":"p{{i}}"}""").Append("""{"ItemId":"x0"}""")
            .Concat(s_sale.Select(id => $$"""{"ItemId":"{{id}}","Labels":["sale"]}"""));
        await app.Json(app.Post("/api/items", $"[{string.Join(',', items)}]"));
        var views = new StringBuilder("[");
        for (var seed = 0; seed < 20; seed++)
        {
            foreach (var item in Enumerable.Range(0, 15).Select(i => $"p{i}").Concat(seed == 0 ? [.. s_sale, "x0"] : []))
            {
                views.Append(views.Length > 1 ? "," : "").Append(Feedback("view", $"seed{seed}", item, null));
            }
        }
        await app.Json(app.Post("/api/feedback", views.Append(']').ToString()));
        var report = await app.Json(app.Post("/api/models/train", ""));
        Assert.True(report.GetProperty("Promoted").GetBoolean(), report.GetRawText());
        // A user without history gets the fallback lists, which rules do not reweight: each has seen x0 (ranked last).
        var histories = Enumerable.Range(0, Users).Select(u => Feedback("view", $"sim{u}", "x0", null));
        await app.Json(app.Post("/api/feedback", $"[{string.Join(',', histories)}]"));

        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home", """{"Diversity":{"MaxPerCategory":100}}"""));
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home-sale", """{"Boosts":[{"Labels":["sale"],"Factor":100}]}"""));
    }
}
