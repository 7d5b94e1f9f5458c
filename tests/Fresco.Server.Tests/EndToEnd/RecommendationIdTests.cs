using System.Text.Json;
using Fresco.Engine;
using Fresco.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// Recommendation ids through the API on the real engine: every list of items carries a new id (header and, scored,
/// per entry), the answer is stored as an impression after it was sent, and feedback naming the id is credited to it.
/// </summary>
public sealed class RecommendationIdTests : IDisposable
{
    private const string Header = "X-Recommendation-Id";

    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static async Task<(string Id, JsonElement Body)> Answer(TestApp app, string path, string? body = null)
    {
        using var response = await (body is null ? app.Get(path) : app.Post(path, body));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        var id = Assert.Single(response.Headers.GetValues(Header));
        return (id, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task EveryListCarriesANewIdAndIsStoredAsAnImpression()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        await Shop.TrainAsync(app);
        var engine = app.Services.GetRequiredService<IFrescoEngine>();

        var ids = new List<string>();
        var (plain, list) = await Answer(app, "/api/recommend/ua0?n=3");
        Assert.Equal(JsonValueKind.String, list[0].ValueKind); // Gorse's ids-only form is unchanged: the id is in the header
        ids.Add(plain);
        foreach (var path in new[] { "/api/recommend/ua0?n=3&explain=true", "/api/recommend/ua0/A?n=3&explain=true", "/api/popular?n=3",
            "/api/latest?n=3", "/api/non-personalized/popular?n=3", "/api/item/a1/neighbors?n=3", "/api/item-to-item/similar/a1?n=3" })
        {
            var (id, scored) = await Answer(app, path);
            Assert.True(scored.GetArrayLength() > 0, path);
            Assert.All(scored.EnumerateArray(), e => Assert.Equal(id, e.GetProperty("RecommId").GetString()));
            ids.Add(id);
        }
        var (session, _) = await Answer(app, "/api/session/recommend?n=3", "[" + Shop.Feedback("view", "", "a1") + "]");
        ids.Add(session);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        async Task<Impression> Stored(string id)
        {
            for (var i = 0; i < 500; i++)
            {
                if (await engine.GetImpressionAsync(id, TestContext.Current.CancellationToken) is { } impression)
                {
                    return impression;
                }
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
            throw new TimeoutException($"impression {id} not stored after 10 s");
        }
        var stored = await Stored(plain);
        Assert.Equal("ua0", stored.UserId);
        Assert.Equal(TestApp.Ids(list), stored.ItemIds);
        Assert.Null((await Stored(ids[3])).UserId); // popular: anonymous
    }

    [Fact]
    public async Task FeedbackNamingTheIdIsCreditedToThatAnswer()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        var (id, list) = await Answer(app, "/api/recommend/ua0?n=2");
        var item = TestApp.Ids(list)[0];

        var written = await app.Json(app.Post("/api/feedback",
            $$"""[{"FeedbackType":"click","UserId":"ua0","ItemId":"{{item}}","Timestamp":"2030-01-01T00:00:00Z","RecommId":"{{id}}"}]"""));
        Assert.Equal(1, written.GetProperty("RowAffected").GetInt32());
        var credited = await app.Services.GetRequiredService<IFrescoEngine>().ListAttributionsAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal([(AttributionKind.Click, item)], credited.Select(a => (a.Kind, a.ItemId)));

        var tooLong = new string('r', 300);
        Assert.Contains("RecommId", await app.Problem(app.Post("/api/feedback",
            $$"""[{"FeedbackType":"click","UserId":"ua0","ItemId":"{{item}}","RecommId":"{{tooLong}}"}]"""), 400));
    }
}
