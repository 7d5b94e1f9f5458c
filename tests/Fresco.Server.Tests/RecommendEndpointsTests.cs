namespace Fresco.Server.Tests;

public sealed class RecommendEndpointsTests
{
    private static async Task<TestApp> Shop()
    {
        var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/items", """
            [{"ItemId":"i1","Categories":["a"]},{"ItemId":"i2","Categories":["b"]},{"ItemId":"i3","Categories":["a"]},
             {"ItemId":"i4","Categories":["b"]},{"ItemId":"i5","Categories":["a"],"IsHidden":true},{"ItemId":"i6"}]
            """));
        await app.Json(app.Post("/api/feedback", """[{"FeedbackType":"purchase","UserId":"u1","ItemId":"i1"},{"FeedbackType":"view","UserId":"u2","ItemId":"i2"}]"""));
        return app;
    }

    [Fact]
    public async Task RecommendAnswersIdsAndTheScoredFormWithApiVersion2()
    {
        await using var app = await Shop();
        Assert.Equal("""["i2","i3","i4","i6"]""", (await app.Json(app.Get("/api/recommend/u1"))).GetRawText());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/recommend/u1?n=2");
        request.Headers.Add("X-API-Version", "2");
        Assert.Equal("""[{"Id":"i2","Score":100,"RecommId":"fake-recomm"},{"Id":"i3","Score":99,"RecommId":"fake-recomm"}]""",
            (await app.Json(app.Client.SendAsync(request, TestContext.Current.CancellationToken))).GetRawText());
    }

    [Fact]
    public async Task EmptyTrailingCategorySegmentAndCategoryForms()
    {
        await using var app = await Shop();
        Assert.Equal(["i2", "i3", "i4", "i6"], TestApp.Ids(await app.Json(app.Get("/api/recommend/u1/"))));
        Assert.Equal(["i3"], TestApp.Ids(await app.Json(app.Get("/api/recommend/u1/a"))));
        Assert.Equal(["i2", "i4"], TestApp.Ids(await app.Json(app.Get("/api/recommend/u1?category=b"))));
        Assert.Equal(["i3"], TestApp.Ids(await app.Json(app.Get("/api/recommend/u1/a?category=b"))));
    }

    [Fact]
    public async Task NOffsetExcludeAndExplainShapeTheList()
    {
        await using var app = await Shop();
        Assert.Equal(["i3", "i4"], TestApp.Ids(await app.Json(app.Get("/api/recommend/u1?n=2&offset=1"))));
        Assert.Equal(["i4"], TestApp.Ids(await app.Json(app.Get("/api/recommend/u1?exclude=i2,i3&exclude=i6"))));
        var explained = await app.Json(app.Get("/api/recommend/u1?n=1&explain=true"));
        Assert.Equal("""[{"Id":"i2","Score":100,"Source":"fake","RecommId":"fake-recomm"}]""", explained.GetRawText());
    }

    [Fact]
    public async Task UnknownSubjectsAnswer404()
    {
        await using var app = await Shop();
        Assert.Contains("unknown user 'ghost'", await app.Problem(app.Get("/api/recommend/ghost"), 404));
        await app.Problem(app.Get("/api/item/ghost/neighbors"), 404);
        await app.Problem(app.Get("/api/non-personalized/nope"), 404);
        await app.Problem(app.Get("/api/item-to-item/nope/i1"), 404);
        await app.Problem(app.Get("/api/item-to-item/similar/ghost"), 404);
    }

    [Fact]
    public async Task SessionNeighborsAndGlobalListsAreScored()
    {
        await using var app = await Shop();
        var session = await app.Json(app.Post("/api/session/recommend?n=2", """[{"FeedbackType":"view","ItemId":"i2"}]"""));
        Assert.Equal("""[{"Id":"i1","Score":100,"RecommId":"fake-recomm"},{"Id":"i3","Score":99,"RecommId":"fake-recomm"}]""", session.GetRawText());
        Assert.Equal(["i3"], TestApp.Ids(await app.Json(app.Post("/api/session/recommend/a", """[{"ItemId":"i1"}]"""))));
        Assert.Equal(["i1", "i3", "i4", "i6"], TestApp.Ids(await app.Json(app.Get("/api/item/i2/neighbors"))));
        Assert.Equal(["i1", "i3"], TestApp.Ids(await app.Json(app.Get("/api/item/i2/neighbors/a"))));
        Assert.Equal(["u1"], TestApp.Ids(await app.Json(app.Get("/api/user/u2/neighbors"))));
        Assert.Equal(["i1", "i2"], TestApp.Ids(await app.Json(app.Get("/api/popular?n=2"))));
        Assert.Equal(["i2", "i4"], TestApp.Ids(await app.Json(app.Get("/api/popular/b"))));
        Assert.Equal(["i1", "i3"], TestApp.Ids(await app.Json(app.Get("/api/latest/a"))));
        Assert.Equal(["i6"], TestApp.Ids(await app.Json(app.Get("/api/latest?offset=4"))));
        Assert.Equal(["i2"], TestApp.Ids(await app.Json(app.Get("/api/non-personalized/trending?n=1&offset=1"))));
        Assert.Equal(["i1", "i3"], TestApp.Ids(await app.Json(app.Get("/api/item-to-item/similar/i2?n=2"))));
        Assert.Equal(100, (await app.Json(app.Get("/api/popular?n=1")))[0].GetProperty("Score").GetDouble());
    }

    [Theory]
    [InlineData("n=-1", "n must be within 1..1000")]
    [InlineData("n=0", "n must be within 1..1000")]
    [InlineData("n=1001", "n must be within 1..1000")]
    [InlineData("n=ten", "n must be an integer")]
    [InlineData("n=99999999999", "n must be an integer")]
    [InlineData("offset=-1", "offset must be at least 0")]
    [InlineData("n=600&offset=600", "n + offset at most 1000")]
    [InlineData("explain=maybe", "explain must be true or false")]
    public async Task AbsurdListParametersAreRejected(string query, string message)
    {
        await using var app = await Shop();
        Assert.Contains(message, await app.Problem(app.Get("/api/recommend/u1?" + query), 400));
        Assert.Contains(message, await app.Problem(app.Get("/api/popular?" + query), 400));
    }
}
