namespace Fresco.Server.Tests;

public sealed class FeedbackEndpointsTests
{
    private const string Three = """
        [{"FeedbackType":"view","UserId":"u1","ItemId":"i1","Timestamp":"2024-01-01T00:00:00Z"},
         {"FeedbackType":"purchase","UserId":"u1","ItemId":"i1","Value":2.5,"Timestamp":"2024-01-02T00:00:00Z"},
         {"FeedbackType":"view","UserId":"u2","ItemId":"i2","Timestamp":"2024-01-03T00:00:00Z","Comment":"c"}]
        """;

    [Fact]
    public async Task InsertCreatesUsersAndItemsKeepsExistingRowsAndPutOverwrites()
    {
        await using var app = await TestApp.StartAsync();
        Assert.Equal(3, (await app.Json(app.Post("/api/feedback", Three))).GetProperty("RowAffected").GetInt32());
        await app.Json(app.Get("/api/user/u2"));
        await app.Json(app.Get("/api/item/i2"));

        const string again = """[{"FeedbackType":"view","UserId":"u1","ItemId":"i1","Value":9}]""";
        Assert.Equal(0, (await app.Json(app.Post("/api/feedback", again))).GetProperty("RowAffected").GetInt32());
        Assert.Equal(0, (await app.Json(app.Get("/api/feedback/view/u1/i1")))[0].GetProperty("Value").GetDouble());
        Assert.Equal(1, (await app.Json(app.SendJson(HttpMethod.Put, "/api/feedback", again))).GetProperty("RowAffected").GetInt32());
        Assert.Equal(9, (await app.Json(app.Get("/api/feedback/view/u1/i1")))[0].GetProperty("Value").GetDouble());
    }

    [Fact]
    public async Task FeedbackIsReadInEveryGorseForm()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/feedback", Three));

        var all = await app.Json(app.Get("/api/feedback?n=2"));
        Assert.Equal(2, all.GetProperty("Feedback").GetArrayLength());
        var rest = await app.Json(app.Get($"/api/feedback?n=2&cursor={all.GetProperty("Cursor").GetString()}"));
        Assert.Equal("u2", rest.GetProperty("Feedback")[0].GetProperty("UserId").GetString());
        Assert.Equal("", rest.GetProperty("Cursor").GetString());

        Assert.Equal(
            """{"FeedbackType":"purchase","UserId":"u1","ItemId":"i1","Value":2.5,"Timestamp":"2024-01-02T00:00:00Z","Comment":""}""",
            (await app.Json(app.Get("/api/feedback/purchase"))).GetProperty("Feedback")[0].GetRawText());
        Assert.Equal(2, (await app.Json(app.Get("/api/feedback/u1/i1"))).GetArrayLength());
        Assert.Equal(1, (await app.Json(app.Get("/api/feedback/purchase/u1/i1"))).GetArrayLength());
        Assert.Equal(2, (await app.Json(app.Get("/api/user/u1/feedback"))).GetArrayLength());
        Assert.Equal(1, (await app.Json(app.Get("/api/user/u1/feedback/view"))).GetArrayLength());
        Assert.Equal(2, (await app.Json(app.Get("/api/item/i1/feedback"))).GetArrayLength());
        Assert.Equal(0, (await app.Json(app.Get("/api/item/i2/feedback/purchase"))).GetArrayLength());
        await app.Problem(app.Get("/api/feedback/u1/nope"), 404);
        await app.Problem(app.Get("/api/item/nope/feedback"), 404);
    }

    [Fact]
    public async Task FeedbackIsDeletedByPairAndByTypedPair()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/feedback", Three));
        Assert.Equal(1, (await app.Json(app.Delete("/api/feedback/purchase/u1/i1"))).GetProperty("RowAffected").GetInt32());
        Assert.Equal(1, (await app.Json(app.Delete("/api/feedback/u1/i1"))).GetProperty("RowAffected").GetInt32());
        Assert.Equal(0, (await app.Json(app.Delete("/api/feedback/u1/i1"))).GetProperty("RowAffected").GetInt32());
        Assert.Equal(1, await app.Engine.Store.CountFeedbackAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ABatchWithOneBadRowWritesNothing()
    {
        await using var app = await TestApp.StartAsync();
        const string batch = """
            [{"FeedbackType":"view","UserId":"u1","ItemId":"i1"},
             {"FeedbackType":"view","UserId":"u1","ItemId":"i2"},
             {"FeedbackType":"view","UserId":"","ItemId":"i3"}]
            """;
        Assert.Contains("feedback[2].UserId must not be empty", await app.Problem(app.Post("/api/feedback", batch), 400));
        Assert.Equal(0, await app.Engine.Store.CountFeedbackAsync(TestContext.Current.CancellationToken));
        await app.Problem(app.Get("/api/user/u1"), 404);

        Assert.Contains("users[1]", await app.Problem(app.Post("/api/users", """[{"UserId":"a"},null]"""), 400));
        await app.Problem(app.Get("/api/user/a"), 404);
    }

    [Fact]
    public async Task AMissingTimestampMeansNow()
    {
        await using var app = await TestApp.StartAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await app.Json(app.Post("/api/feedback", """[{"FeedbackType":"like","UserId":"u","ItemId":"i"}]"""));
        var stored = Assert.Single(await app.Engine.Store.GetUserFeedbackAsync("u", cancellationToken: TestContext.Current.CancellationToken));
        Assert.InRange(stored.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
