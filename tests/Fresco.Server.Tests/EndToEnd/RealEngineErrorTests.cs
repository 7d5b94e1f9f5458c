namespace Fresco.Server.Tests.EndToEnd;

/// <summary>Rejected writes leave the real engine's store untouched.</summary>
public sealed class RealEngineErrorTests : IDisposable
{
    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static async Task<(int Users, int Items, int Feedback)> CountsAsync(TestApp app) => (
        (await app.Json(app.Get("/api/users?n=1000"))).GetProperty("Users").GetArrayLength(),
        (await app.Json(app.Get("/api/items?n=1000"))).GetProperty("Items").GetArrayLength(),
        (await app.Json(app.Get("/api/feedback?n=1000"))).GetProperty("Feedback").GetArrayLength());

    [Theory]
    [InlineData("""{"FeedbackType":"view","UserId":"","ItemId":"a1"}""", "feedback[2].UserId")]
    [InlineData("""{"FeedbackType":"view","UserId":"fresh","ItemId":"a1","Timestamp":"yesterday"}""", "feedback[2].Timestamp")]
    [InlineData("""{"FeedbackType":"","UserId":"fresh","ItemId":"brand-new"}""", "feedback[2].FeedbackType")]
    [InlineData("null", "feedback[2] must be a feedback object")]
    public async Task ABatchWithOneBadRowWritesNothing(string bad, string detail)
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        var before = await CountsAsync(app);
        var batch = $"[{Shop.Feedback("view", "fresh", "a1")},{Shop.Feedback("view", "ua0", "brand-new")},{bad},{Shop.Feedback("like", "ub0", "b0")}]";
        Assert.Contains(detail, await app.Problem(app.Post("/api/feedback", batch), 400));
        Assert.Equal(before, await CountsAsync(app));
        await app.Problem(app.Get("/api/user/fresh/feedback"), 404);
        await app.Problem(app.Get("/api/item/brand-new"), 404);
        Assert.Equal(0, (await app.Json(app.Get("/api/feedback/like/ub0/b0"))).GetArrayLength());

        await app.Problem(app.Post("/api/feedback", batch[..^5]), 400);
        Assert.Equal(before, await CountsAsync(app));
    }
}
