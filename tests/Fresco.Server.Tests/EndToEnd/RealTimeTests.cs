using System.Text.Json;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>The real-time contract over HTTP with the real engine: the next request sees the last write.</summary>
public sealed class RealTimeTests : IDisposable
{
    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private async Task<(TestApp App, string Kind)> StartTrainedAsync()
    {
        var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        return (app, await Shop.TrainAsync(app));
    }

    private static async Task<JsonElement[]> Explained(TestApp app, string path) =>
        [.. (await app.Json(app.Get(path))).EnumerateArray()];

    [Theory]
    [InlineData("a3", 'a')]
    [InlineData("b7", 'b')]
    public async Task ANewUsersFirstEventPersonalisesTheNextAnswerTowardsTheGroupTouched(string touched, char group)
    {
        var (app, kind) = await StartTrainedAsync();
        await using var _ = app;
        await app.Json(app.Post("/api/user", """{"UserId":"newcomer"}"""));
        var before = await Explained(app, "/api/recommend/newcomer?n=5&explain=true");
        Assert.Equal(5, before.Length);
        Assert.DoesNotContain(before, e => e.GetProperty("Source").GetString() == kind);

        await app.Json(app.Post("/api/feedback", $"[{Shop.Feedback("view", "newcomer", touched)}]"));
        var after = await Explained(app, "/api/recommend/newcomer?n=5&explain=true");
        Assert.Equal(5, after.Length);
        Assert.Equal(kind, after[0].GetProperty("Source").GetString());
        var ids = after.Select(e => e.GetProperty("Id").GetString()!).ToArray();
        Assert.DoesNotContain(touched, ids);
        // The model's candidates come first and all from the group of the item touched.
        var fromModel = after.TakeWhile(e => e.GetProperty("Source").GetString() == kind).Select(e => e.GetProperty("Id").GetString()!).ToArray();
        var shown = string.Join(",", after.Select(e => e.GetRawText()));
        Assert.True(fromModel.Length >= 3, shown);
        Assert.True(fromModel.All(id => id[0] == group), shown);
    }

    [Fact]
    public async Task APurchasedItemAndAHiddenItemDisappearFromTheNextAnswer()
    {
        var (app, _) = await StartTrainedAsync();
        await using var _app = app;
        var first = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=3")));
        Assert.Equal(3, first.Length);
        await app.Json(app.Post("/api/feedback", $"[{Shop.Feedback("purchase", "ua0", first[0])}]"));
        var second = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=3")));
        Assert.DoesNotContain(first[0], second);

        await app.Json(app.SendJson(HttpMethod.Patch, $"/api/item/{second[0]}", """{"IsHidden":true}"""));
        var hidden = second[0];
        foreach (var (group, u) in new[] { ('a', 0), ('a', 1), ('a', 7), ('b', 0) })
        {
            // n larger than the catalog: fallbacks bring every eligible item, the hidden one never.
            var all = TestApp.Ids(await app.Json(app.Get($"/api/recommend/u{group}{u}?n=40")));
            Assert.DoesNotContain(hidden, all);
            var history = Shop.Views(group, u).Concat(group == 'a' && u == 0 ? [first[0]] : []).ToHashSet();
            Assert.Equal(2 * Shop.ItemsPerGroup - history.Count - (history.Contains(hidden) ? 0 : 1), all.Length);
            Assert.Empty(all.Intersect(history));
            Assert.Equal(all.Length, all.Distinct().Count());
        }
        Assert.DoesNotContain(hidden, TestApp.Ids(await app.Json(app.Get("/api/popular?n=40"))));
    }

    [Fact]
    public async Task CategoryExcludeAndFallbacksFillN()
    {
        var (app, kind) = await StartTrainedAsync();
        await using var _app = app;
        // ua0 viewed a0..a4: in its own group five A items are left; all ten B items are eligible.
        var ownGroup = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?category=A&n=10")));
        Assert.Equal(["a5", "a6", "a7", "a8", "a9"], ownGroup.Order());
        var otherGroup = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0/B?n=10")));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"b{i}"), otherGroup.Order());
        Assert.Equal(otherGroup, TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?category=B&n=10"))));
        Assert.Equal(0, (await app.Json(app.Get("/api/recommend/ua0/nothing-has-it"))).GetArrayLength());

        // An item added after training is unknown to the model: only a fallback can bring it, after the model's five.
        await app.Json(app.Post("/api/item", """{"ItemId":"a-new","Categories":["A"],"Timestamp":"2024-03-01T00:00:00Z"}"""));
        var explained = await Explained(app, "/api/recommend/ua0?category=A&n=10&explain=true");
        Assert.Equal(6, explained.Length);
        Assert.All(explained[..5], e => Assert.Equal(kind, e.GetProperty("Source").GetString()));
        Assert.Equal("a-new", explained[5].GetProperty("Id").GetString());
        Assert.NotEqual(kind, explained[5].GetProperty("Source").GetString());

        var top = TestApp.Ids(await app.Json(app.Get("/api/recommend/ua0?n=4")));
        var excluded = TestApp.Ids(await app.Json(app.Get($"/api/recommend/ua0?n=2&exclude={top[0]},{top[2]}")));
        Assert.Equal([top[1], top[3]], excluded);
    }

    [Fact]
    public async Task UnknownUsersAnswer404AndShapesFollowGorse()
    {
        var (app, _) = await StartTrainedAsync();
        await using var _app = app;
        Assert.Contains("nobody", await app.Problem(app.Get("/api/recommend/nobody"), 404));

        var ids = await app.Json(app.Get("/api/recommend/ub2?n=4"));
        Assert.All(ids.EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.ValueKind));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/recommend/ub2?n=4");
        request.Headers.Add("X-API-Version", "2");
        var scored = await app.Json(app.Client.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(TestApp.Ids(ids), TestApp.Ids(scored));
        var scores = scored.EnumerateArray().Select(e => e.GetProperty("Score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scored.EnumerateArray(), e => Assert.False(e.TryGetProperty("Source", out _)));
    }
}
