using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fresco.Client;
using Fresco.Server.Tests.EndToEnd;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fresco.Server.Tests.Dashboard;

/// <summary>
/// The operator's dashboard in a real browser (Debian's chromium through Playwright) against a real server on a
/// loopback port with the small seeded <see cref="Shop"/>; what the page shows is checked against the API through
/// <see cref="FrescoClient"/>. Every test ends with a clean browser console.
/// </summary>
public sealed class DashboardBrowserTests(Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private const string Key = "dashboard-test-key";
    // Shedding off: on a loaded CI machine the queue-delay shedder answered the page's settings.json 503 (the guard
    // working, not the dashboard failing); the dashboard's pages are tested here, the shedder in QueueDelaySheddingTests.
    private static readonly (string, string?)[] s_keyed = [.. Shop.Settings, ("Server:ApiKey", Key), ("Server:QueueDelayTarget", "00:00:00")];

    private readonly DataFolder _data = new();
    private readonly DataFolder _otherData = new();

    public void Dispose()
    {
        _data.Dispose();
        _otherData.Dispose();
    }

    private static async Task<TestApp> StartShopAsync(string dataDir, bool train = true)
    {
        var app = await TestApp.StartListeningAsync(dataDir, s_keyed);
        app.Client.DefaultRequestHeaders.Add("X-API-Key", Key);
        await Shop.SeedAsync(app);
        if (train)
        {
            await Shop.TrainAsync(app);
        }
        return app;
    }

    /// <summary>Opens the dashboard at <paramref name="path"/> and signs in with the key.</summary>
    private async Task<BrowserPage> SignedInAsync(TestApp app, string path, BrowserNewContextOptions? options = null)
    {
        var browser = await chromium.NewPageAsync(app.BaseAddress, options);
        await browser.Page.GotoAsync(path);
        await browser.Page.GetByLabel("API key").FillAsync(Key);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        return browser;
    }

    private static FrescoClient Api(TestApp app) => new(app.Client);

    private static async Task<string[]> RecommendIds(TestApp app, string user) =>
        [.. (await Api(app).RecommendAsync(user, new ListOptions(N: 10), TestContext.Current.CancellationToken))!.Select(x => x.Id)];

    private static async Task<int> CountAsync(TestApp app, string listing, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        return listing switch
        {
            "users" => (await Api(app).ListUsersAsync(10_000, cancellationToken: ct)).Users.Count,
            "items" => (await Api(app).ListItemsAsync(10_000, cancellationToken: ct)).Items.Count,
            _ => (await Api(app).ListFeedbackAsync(10_000, cancellationToken: ct)).Feedback.Count,
        };
    }

    [Fact]
    public async Task SignInRefusesAWrongKeyAndKeepsTheRightOneOutOfTheUrl()
    {
        await using var app = await StartShopAsync(_data.Path, train: false);
        await using var browser = await chromium.NewPageAsync(app.BaseAddress);
        var page = browser.Page;
        await page.GotoAsync("/dashboard/");
        Assert.Equal("password", await page.GetByLabel("API key").GetAttributeAsync("type"));
        await page.GetByLabel("API key").FillAsync("not-the-key");
        browser.ExpectOneRefusal();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("That key was refused.");
        await Expect(page.GetByTestId("count-users")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("signin-refused");

        await page.GetByLabel("API key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("count-users")).ToHaveTextAsync("20");
        Assert.DoesNotContain(Key, page.Url, StringComparison.Ordinal);
        Assert.Equal(Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('fresco.apiKey')"));
        await Expect(page.GetByLabel("API key")).ToHaveCountAsync(0);

        // The API behind the page refuses the same request without the key.
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        using var refused = await anonymous.GetAsync("/api/dashboard/overview", TestContext.Current.CancellationToken);
        Assert.Equal(401, (int)refused.StatusCode);
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task OverviewCountsEqualTheApisAndShowTheTrainingRun()
    {
        await using var app = await StartShopAsync(_data.Path);
        await using var browser = await SignedInAsync(app, "/dashboard/");
        var page = browser.Page;
        await Expect(page.GetByTestId("count-users")).ToHaveTextAsync((await CountAsync(app, "users", "Users")).ToString());
        await Expect(page.GetByTestId("count-items")).ToHaveTextAsync((await CountAsync(app, "items", "Items")).ToString());
        await Expect(page.GetByTestId("count-feedback")).ToHaveTextAsync((await CountAsync(app, "feedback", "Feedback")).ToString());
        await Expect(page.GetByTestId("serving")).ToHaveTextAsync("als v1");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "promoted" })).ToBeVisibleAsync();
        // The live charts draw from the second poll on (every 3 s).
        await Expect(page.Locator(".uplot")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await browser.ScreenshotAsync("overview");
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task AUsersPageListsWhatRecommendServesAndFollowsANewEventOnRefresh()
    {
        await using var app = await StartShopAsync(_data.Path);
        await using var browser = await SignedInAsync(app, "/dashboard/users/ua0");
        var page = browser.Page;
        var served = await RecommendIds(app, "ua0");
        Assert.NotEmpty(served);
        await Expect(page.GetByTestId("recommendations").Locator("tbody tr")).ToHaveCountAsync(served.Length);
        Assert.Equal(served, await browser.ColumnAsync("recommendations", 2));
        Assert.Equal(Shop.ViewsPerUser, (await browser.ColumnAsync("history", 2)).Length);

        // "Try an event" shows another list and writes nothing.
        var feedbackBefore = await CountAsync(app, "feedback", "Feedback");
        await page.GetByLabel("Item id", new() { Exact = true }).FillAsync("b0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Try" }).ClickAsync();
        await Expect(page.GetByTestId("tried-list").Locator("tbody tr").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("user");
        Assert.Equal(feedbackBefore, await CountAsync(app, "feedback", "Feedback"));

        // A view of the first recommendation, posted through the API, shows at the top of the history and leaves the list.
        var viewed = served[0];
        await Api(app).InsertFeedbackAsync([new FrescoFeedback("view", "ua0", viewed, 0, DateTimeOffset.Parse("2024-03-01T00:00:00Z"))],
            cancellationToken: TestContext.Current.CancellationToken);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("history").Locator("tbody tr")).ToHaveCountAsync(Shop.ViewsPerUser + 1);
        Assert.Equal(viewed, (await browser.ColumnAsync("history", 2))[0]);
        var now = await RecommendIds(app, "ua0");
        Assert.DoesNotContain(viewed, now);
        Assert.Equal(now, await browser.ColumnAsync("recommendations", 2));
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task HidingAnItemFromItsPageRemovesItFromTheUsersList()
    {
        await using var app = await StartShopAsync(_data.Path);
        var hidden = (await RecommendIds(app, "ua0"))[0];
        await using var browser = await SignedInAsync(app, $"/dashboard/items/{hidden}");
        var page = browser.Page;
        await Expect(page.GetByTestId("hidden")).ToHaveTextAsync("no");
        await page.GetByRole(AriaRole.Button, new() { Name = "Hide from recommendations" }).ClickAsync();
        await Expect(page.GetByTestId("hidden")).ToHaveTextAsync("yes");
        await browser.ScreenshotAsync("item");
        Assert.True((await Api(app).GetItemAsync(hidden, TestContext.Current.CancellationToken))!.IsHidden);
        Assert.DoesNotContain(hidden, await RecommendIds(app, "ua0"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByLabel("User id").FillAsync("ua0");
        await page.GetByLabel("User id").PressAsync("Enter");
        await Expect(page.GetByTestId("recommendations").Locator("tbody tr").First).ToBeVisibleAsync();
        Assert.DoesNotContain(hidden, await browser.ColumnAsync("recommendations", 2));
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task TrainNowAddsAVersionAndRollbackServesThePreviousOneAfterConfirmation()
    {
        await using var app = await StartShopAsync(_data.Path);
        await using var browser = await SignedInAsync(app, "/dashboard/models");
        var page = browser.Page;
        await Expect(page.GetByTestId("versions").Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Train now" }).ClickAsync();
        await Expect(page.GetByTestId("versions").Locator("tbody tr")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("serving")).ToHaveTextAsync("Serving als v2.");
        await browser.ScreenshotAsync("models");

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal(2, (await Api(app).ListModelsAsync(TestContext.Current.CancellationToken)).Serving);

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(page.GetByTestId("serving")).ToHaveTextAsync("Serving als v1.");
        Assert.Equal(1, (await Api(app).ListModelsAsync(TestContext.Current.CancellationToken)).Serving);
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task ExportThenImportIntoAnEmptyServerGivesTheSameCounts()
    {
        await using var source = await StartShopAsync(_data.Path, train: false);
        var files = new Dictionary<string, string>();
        await using (var browser = await SignedInAsync(source, "/dashboard/data"))
        {
            foreach (var kind in new[] { "users", "items", "feedback" })
            {
                var download = await browser.Page.RunAndWaitForDownloadAsync(() =>
                    browser.Page.GetByRole(AriaRole.Button, new() { Name = $"Export {kind}" }).ClickAsync());
                files[kind] = Path.Combine(_data.Path, $"export-{kind}.jsonl");
                await download.SaveAsAsync(files[kind]);
                await Expect(browser.Page.GetByTestId("data-status")).ToContainTextAsync($"Exported");
            }
            browser.AssertCleanConsole();
        }
        Assert.Equal(100, File.ReadAllLines(files["feedback"]).Length);

        await using var target = await TestApp.StartListeningAsync(_otherData.Path, s_keyed);
        target.Client.DefaultRequestHeaders.Add("X-API-Key", Key);
        await using (var browser = await SignedInAsync(target, "/dashboard/data"))
        {
            foreach (var kind in new[] { "users", "items", "feedback" })
            {
                await browser.Page.GetByLabel("Kind").SelectOptionAsync(kind);
                await browser.Page.GetByLabel("JSON Lines file").SetInputFilesAsync(files[kind]);
                await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
                await Expect(browser.Page.GetByTestId("data-status")).ToHaveTextAsync(
                    $"Imported {File.ReadAllLines(files[kind]).Length} {kind} rows.");
            }
            await browser.ScreenshotAsync("data");
            browser.AssertCleanConsole();
        }
        foreach (var (listing, field) in new[] { ("users", "Users"), ("items", "Items"), ("feedback", "Feedback") })
        {
            Assert.Equal(await CountAsync(source, listing, field), await CountAsync(target, listing, field));
        }
        var ct = TestContext.Current.CancellationToken;
        var (before, after) = ((await Api(source).GetItemAsync("a3", ct))!, (await Api(target).GetItemAsync("a3", ct))!);
        Assert.Equal((before.IsHidden, before.Timestamp, before.Comment), (after.IsHidden, after.Timestamp, after.Comment));
        Assert.Equal(before.Categories!, after.Categories!);
    }

    /// <summary>
    /// Puts scenarios <c>home</c> and <c>home-diverse</c> and a running experiment <c>layout</c> between them (two variants),
    /// then lets every shop user fetch <c>scenario=home</c> and click the first item with the answer's <c>RecommId</c>
    /// (every fourth also carts it, every third buys it, value 10); answers the results once every impression is stored (written in the background).
    /// </summary>
    private static async Task<JsonElement> RunExperimentAsync(TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home", """{"Diversity":{"MaxPerCategory":100}}"""));
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home-diverse", """{"Diversity":{"MaxPerCategory":2}}"""));
        var now = DateTimeOffset.UtcNow;
        await app.Json(app.SendJson(HttpMethod.Put, "/api/experiments/layout", $$"""
            {"Scenario":"home","Variants":[{"Name":"control","Weight":50},{"Name":"diverse","Weight":50,"Scenario":"home-diverse"}],
             "Start":"{{now.AddHours(-1):O}}","End":"{{now.AddHours(1):O}}"}
            """));
        var users = Enumerable.Range(0, Shop.UsersPerGroup).SelectMany(u => new[] { $"ua{u}", $"ub{u}" }).ToArray();
        for (var u = 0; u < users.Length; u++)
        {
            using var response = await app.Get($"/api/recommend/{users[u]}?n=5&scenario=home");
            var shown = TestApp.Ids(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement);
            Assert.StartsWith("layout/", Assert.Single(response.Headers.GetValues("X-Experiment-Variant")), StringComparison.Ordinal);
            var recommId = Assert.Single(response.Headers.GetValues("X-Recommendation-Id"));
            var events = new List<string> { Event("click", users[u], shown[0], recommId, 0) };
            if (u % 4 == 0)
            {
                events.Add(Event("cart", users[u], shown[0], recommId, 0));
            }
            if (u % 3 == 0)
            {
                events.Add(Event("purchase", users[u], shown[0], recommId, 10));
            }
            await app.Json(app.Post("/api/feedback", $"[{string.Join(',', events)}]"));
        }
        for (var i = 0; ; i++)
        {
            var results = await app.Json(app.Get("/api/experiments/layout/results"));
            var stored = results.GetProperty("Variants").EnumerateArray().Sum(v => v.GetProperty("Impressions").GetInt32());
            if (stored == users.Length || i == 500)
            {
                Assert.Equal(users.Length, stored);
                return results;
            }
            await Task.Delay(20, ct);
        }
    }

    private static string Event(string type, string user, string item, string recommId, int value) =>
        $$"""{"FeedbackType":"{{type}}","UserId":"{{user}}","ItemId":"{{item}}","Value":{{value}},"RecommId":"{{recommId}}"}""";

    [Fact]
    public async Task AnExperimentsPageShowsTheSameCountsAsItsResults()
    {
        await using var app = await StartShopAsync(_data.Path);
        var results = await RunExperimentAsync(app);
        await using var browser = await SignedInAsync(app, "/dashboard/experiments");
        var page = browser.Page;
        await Expect(page.GetByTestId("experiments").Locator("tbody tr")).ToHaveCountAsync(1);
        Assert.Equal(["layout"], await browser.ColumnAsync("experiments", 1));
        Assert.Equal(["control 50, diverse 50 (home-diverse)"], await browser.ColumnAsync("experiments", 3));
        Assert.Equal(["running"], await browser.ColumnAsync("experiments", 6));

        await page.GetByRole(AriaRole.Link, new() { Name = "layout" }).ClickAsync();
        await Expect(page.GetByTestId("results").Locator("tbody tr")).ToHaveCountAsync(2);
        var variants = results.GetProperty("Variants").EnumerateArray().ToArray();
        string[] counts = ["Users", "Impressions", "Clicks", "Carts", "Purchases"];
        for (var c = 0; c < counts.Length; c++)
        {
            Assert.Equal(variants.Select(v => v.GetProperty(counts[c]).GetInt32().ToString(CultureInfo.InvariantCulture)),
                await browser.ColumnAsync("results", c + 2));
        }
        Assert.Equal(variants.Select(v => (100 * v.GetProperty("Ctr").GetDouble()).ToString("F2", CultureInfo.InvariantCulture) + " %"),
            await browser.ColumnAsync("results", 7));
        Assert.Equal(variants.Select(v => v.GetProperty("RevenuePerUser").GetDouble().ToString("F2", CultureInfo.InvariantCulture)),
            await browser.ColumnAsync("results", 9));
        Assert.Equal(2, variants.Sum(v => v.GetProperty("Users").GetInt32()) / Shop.UsersPerGroup); // every shop user was counted
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("running");
        var srm = results.GetProperty("SampleRatioPValue").GetDouble();
        Assert.True(srm >= 0.001, $"sample-ratio p-value {srm} for 20 users split 50/50");
        await Expect(page.GetByTestId("srm-warning")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("experiment");

        // At phone width the results table scrolls inside its frame, not the page.
        await page.SetViewportSizeAsync(390, 844);
        var overflow = await page.EvaluateAsync<JsonElement>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(overflow[0].GetInt32() <= overflow[1].GetInt32(), $"the experiment's page is {overflow[0]} px wide in a {overflow[1]} px window");
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task ASplitThatNoLongerMatchesTheWeightsShowsTheSampleRatioWarning()
    {
        await using var app = await StartShopAsync(_data.Path);
        await RunExperimentAsync(app);
        // Reweighting to 1:1000 after the fact: the recorded 50/50 split no longer matches the weights.
        var now = DateTimeOffset.UtcNow;
        await app.Json(app.SendJson(HttpMethod.Put, "/api/experiments/layout", $$"""
            {"Scenario":"home","Variants":[{"Name":"control","Weight":1},{"Name":"diverse","Weight":1000,"Scenario":"home-diverse"}],
             "Start":"{{now.AddHours(-1):O}}","End":"{{now.AddHours(1):O}}"}
            """));
        var srm = (await app.Json(app.Get("/api/experiments/layout/results"))).GetProperty("SampleRatioPValue").GetDouble();
        Assert.True(srm < 0.001, $"sample-ratio p-value {srm}");
        await using var browser = await SignedInAsync(app, "/dashboard/experiments/layout");
        await Expect(browser.Page.GetByTestId("srm-warning")).ToContainTextAsync("do not trust the comparisons");
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task AnExperimentIsCreatedEditedAndDeletedFromItsPageWithTheServersRefusalsShown()
    {
        await using var app = await StartShopAsync(_data.Path, train: false);
        var kind = await Shop.TrainAsync(app); // a variant's model must be stored
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home", """{"Diversity":{"MaxPerCategory":100}}"""));
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home-b", """{"Diversity":{"MaxPerCategory":2}}"""));
        await using var browser = await SignedInAsync(app, "/dashboard/experiments", new() { TimezoneId = "UTC" });
        var page = browser.Page;
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        static string Local(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

        // A new name opens an empty form (the page's GET answers 404).
        browser.ExpectOneFailedCall(404);
        await page.GetByLabel("Name").FillAsync("layout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(page.GetByTestId("experiment-status")).ToHaveTextAsync("Not stored yet.");
        await page.GetByLabel("Scenario", new() { Exact = true }).FillAsync("home");
        await page.GetByLabel("Variant 2 name").FillAsync("b");
        await page.GetByLabel("Variant 2 scenario").FillAsync("home-b");
        await page.GetByLabel("Start").FillAsync(Local(start));
        await page.GetByLabel("End").FillAsync(Local(start.AddMinutes(-30)));

        // Refused by the server: its problem detail and field, and nothing stored.
        browser.ExpectOneFailedCall(400);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByTestId("experiment-error")).ToHaveTextAsync("the experiment cannot be stored: End: the end must be after the start. (at End)");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Get("/api/experiments/layout")).StatusCode);

        await page.GetByLabel("End").FillAsync(Local(start.AddHours(3)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("running");
        await Expect(page.GetByTestId("variants")).ToHaveTextAsync("control 50, b 50 (home-b)");
        var stored = (await app.Json(app.Get("/api/experiments/layout"))).GetProperty("Definition");
        Assert.Equal("home", stored.GetProperty("Scenario").GetString());
        Assert.Equal(start, stored.GetProperty("Start").GetDateTimeOffset());
        Assert.Equal(start.AddHours(3), stored.GetProperty("End").GetDateTimeOffset());

        // Edit: reweight b, add a third variant on its own model.
        await page.GetByLabel("Variant 2 weight").FillAsync("150");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a variant" }).ClickAsync();
        await page.GetByLabel("Variant 3 name").FillAsync("c");
        await page.GetByLabel("Variant 3 weight").FillAsync("100");
        await page.GetByLabel("Variant 3 model").FillAsync(kind);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("variants")).ToHaveTextAsync($"control 50, b 150 (home-b), c 100 [{kind}]");
        var variants = (await app.Json(app.Get("/api/experiments/layout"))).GetProperty("Definition").GetProperty("Variants").EnumerateArray().ToArray();
        Assert.Equal([("control", 50), ("b", 150), ("c", 100)], variants.Select(v => (v.GetProperty("Name").GetString(), v.GetProperty("Weight").GetInt32())));
        await browser.ScreenshotAsync("experiment-edit");

        // Down to one variant: refused, and the stored experiment keeps its three.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove variant 3" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove variant 2" }).ClickAsync();
        browser.ExpectOneFailedCall(400);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("experiment-error")).ToContainTextAsync("(at Variants)");
        Assert.Equal(3, (await app.Json(app.Get("/api/experiments/layout"))).GetProperty("Definition").GetProperty("Variants").GetArrayLength());

        // Delete, after confirmation.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Get("/api/experiments/layout")).StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/experiments$"));
        await Expect(page.GetByTestId("experiments").Locator("tbody tr")).ToHaveTextAsync("none");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Get("/api/experiments/layout")).StatusCode);
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task ABadScenarioShowsWhereItIsWrongAndAGoodOneIsANewVersion()
    {
        await using var app = await StartShopAsync(_data.Path, train: false);
        await app.Json(app.SendJson(HttpMethod.Put, "/api/scenarios/home", """{"Diversity":{"MaxPerCategory":3}}"""));
        await using var browser = await SignedInAsync(app, "/dashboard/scenarios");
        var page = browser.Page;
        Assert.Equal(["home"], await browser.ColumnAsync("scenarios", 1));
        var version = (await app.Json(app.Get("/api/scenarios/home"))).GetProperty("Version").GetInt64();
        Assert.Equal([version.ToString(CultureInfo.InvariantCulture)], await browser.ColumnAsync("scenarios", 2));
        await page.GetByRole(AriaRole.Link, new() { Name = "home", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("scenario-version")).ToContainTextAsync($"Version {version},");
        Assert.Equal(3, JsonDocument.Parse(await page.GetByLabel("Definition (JSON)").InputValueAsync()).RootElement
            .GetProperty("Diversity").GetProperty("MaxPerCategory").GetInt32());

        // Not JSON: the server's message says where the text breaks.
        await page.GetByLabel("Definition (JSON)").FillAsync("""{"Diversity":{"MaxPerCategory":1}""");
        browser.ExpectOneFailedCall(400);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await Expect(page.GetByTestId("scenario-error")).ToContainTextAsync("the request body is not valid");

        // A rule the engine refuses: the problem's detail and its field.
        await page.GetByLabel("Definition (JSON)").FillAsync("""{"Boosts":[{"Expression":"param.brand in Labels","Factor":2}]}""");
        browser.ExpectOneFailedCall(400);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await Expect(page.GetByTestId("scenario-error")).ToContainTextAsync("the scenario cannot be served: Boosts[0].Expression: ");
        await Expect(page.GetByTestId("scenario-error")).ToContainTextAsync("(at Boosts[0].Expression)");
        await browser.ScreenshotAsync("scenario-error");
        Assert.Equal(version, (await app.Json(app.Get("/api/scenarios/home"))).GetProperty("Version").GetInt64());

        await page.GetByLabel("Definition (JSON)").FillAsync("""{"Diversity":{"MaxPerCategory":1}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await Expect(page.GetByTestId("scenario-version")).Not.ToContainTextAsync($"Version {version},");
        var stored = await app.Json(app.Get("/api/scenarios/home"));
        Assert.True(stored.GetProperty("Version").GetInt64() > version);
        await Expect(page.GetByTestId("scenario-version")).ToContainTextAsync($"Version {stored.GetProperty("Version").GetInt64()},");
        Assert.Equal(1, stored.GetProperty("Definition").GetProperty("Diversity").GetProperty("MaxPerCategory").GetInt32());
        await Expect(page.GetByTestId("scenario-error")).ToBeEmptyAsync();
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task PagesFitAPhoneWidthInTheDarkTheme()
    {
        await using var app = await StartShopAsync(_data.Path);
        var phone = new BrowserNewContextOptions { ViewportSize = new() { Width = 390, Height = 844 }, ColorScheme = ColorScheme.Dark };
        await using var browser = await SignedInAsync(app, "/dashboard/users/ub3", phone);
        var page = browser.Page;
        foreach (var (path, ready) in new[] { ("/dashboard/users/ub3", "recommendations"), ("/dashboard/", "count-users"), ("/dashboard/models", "versions"),
            ("/dashboard/scenarios", "scenarios"), ("/dashboard/experiments", "experiments") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId(ready).First).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<JsonElement>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(overflow[0].GetInt32() <= overflow[1].GetInt32(), $"{path} is {overflow[0]} px wide in a {overflow[1]} px window");
            var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
            Assert.Equal("rgb(22, 24, 26)", background);
        }
        await page.GotoAsync("/dashboard/users/ub3");
        await Expect(page.GetByTestId("recommendations").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync("user-phone-dark");
        browser.AssertCleanConsole();
    }

    [Fact]
    public async Task TheKeyboardReachesEverySectionFromTheTop()
    {
        await using var app = await StartShopAsync(_data.Path, train: false);
        await using var browser = await SignedInAsync(app, "/dashboard/");
        var page = browser.Page;
        await Expect(page.GetByTestId("count-users")).ToBeVisibleAsync();
        await page.Locator(".skip").FocusAsync();
        var reached = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        }
        Assert.Contains("Models", reached);
        Assert.Contains("Data", reached);
        while (await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()") != "Models")
        {
            await page.Keyboard.PressAsync("Shift+Tab");
        }
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("versions")).ToBeVisibleAsync();
        browser.AssertCleanConsole();
    }
}
