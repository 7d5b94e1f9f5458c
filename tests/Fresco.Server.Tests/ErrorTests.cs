using System.Net.Http.Headers;

namespace Fresco.Server.Tests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("/api/user", """{"UserId":"u1",""", "not valid")]
    [InlineData("/api/user", """{"UserId":5}""", "not valid")]
    [InlineData("/api/user", """["u1"]""", "not valid")]
    [InlineData("/api/user", "null", "JSON null")]
    [InlineData("/api/user", """{"UserId":""}""", "user.UserId must not be empty")]
    [InlineData("/api/user", """{"UserId":"   "}""", "user.UserId must not be empty")]
    [InlineData("/api/users", """{"UserId":"u1"}""", "not valid")]
    [InlineData("/api/feedback", """[{"FeedbackType":"view","UserId":"u","ItemId":"i","Value":"high"}]""", "not valid")]
    [InlineData("/api/feedback", """[{"FeedbackType":"view","UserId":"u","ItemId":""}]""", "feedback[0].ItemId must not be empty")]
    [InlineData("/api/session/recommend", """[{"ItemId":null}]""", "feedback[0].ItemId must not be empty")]
    public async Task BadBodiesAnswer400ProblemsAndWriteNothing(string path, string body, string message)
    {
        await using var app = await TestApp.StartAsync();
        Assert.Contains(message, await app.Problem(app.Post(path, body), 400));
        Assert.Equal(0, await app.Engine.Store.CountFeedbackAsync(TestContext.Current.CancellationToken));
        Assert.Empty((await app.Engine.Store.ListUsersAsync("", 10, TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task AnEmptyBodyAnswers400()
    {
        await using var app = await TestApp.StartAsync();
        Assert.Contains("empty", await app.Problem(app.Post("/api/feedback", ""), 400));
    }

    [Fact]
    public async Task TooLongIdsAnswer400()
    {
        await using var app = await TestApp.StartAsync();
        var id = new string('x', 257);
        Assert.Contains("at most 256", await app.Problem(app.Get("/api/user/" + id), 400));
        Assert.Contains("at most 256", await app.Problem(app.Post("/api/item", $$"""{"ItemId":"{{id}}"}"""), 400));
    }

    [Fact]
    public async Task UnknownRoutesAndWrongMethodsAnswerProblems()
    {
        await using var app = await TestApp.StartAsync();
        await app.Problem(app.Get("/api/nothing/here"), 404);
        await app.Problem(app.Get("/nothing"), 404);
        await app.Problem(app.Delete("/api/users"), 405);
        await app.Problem(app.Post("/api/recommend/u1", "[]"), 405);
    }

    [Fact]
    public async Task BodiesOverTheLimitAnswer413()
    {
        await using var app = await TestApp.StartAsync(("Server:MaxRequestBodyBytes", "2048"));
        var body = "[" + string.Join(',', Enumerable.Range(0, 100).Select(i => $$"""{"UserId":"user-{{i}}"}""")) + "]";
        Assert.Contains("2048 bytes", await app.Problem(app.Post("/api/users", body), 413));

        var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Contains("2048 bytes", await app.Problem(app.Client.PostAsync("/api/users", chunked, TestContext.Current.CancellationToken), 413));
        Assert.Empty((await app.Engine.Store.ListUsersAsync("", 10, TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task BatchesOverMaxBatchAnswer413()
    {
        await using var app = await TestApp.StartAsync(("Server:MaxBatch", "2"));
        Assert.Contains("at most 2", await app.Problem(app.Post("/api/items", """[{"ItemId":"a"},{"ItemId":"b"},{"ItemId":"c"}]"""), 413));
        Assert.Contains("1..2", await app.Problem(app.Get("/api/items?n=3"), 400));
        await app.Json(app.Post("/api/items", """[{"ItemId":"a"},{"ItemId":"b"}]"""));
    }

    [Fact]
    public async Task ArgumentErrorsFromTheStoreBecome400()
    {
        await using var app = await TestApp.StartAsync();
        Assert.Contains("cursor", await app.Problem(app.Get("/api/users?cursor=%21%21%21"), 400));
        Assert.Contains("cursor", await app.Problem(app.Get("/api/feedback?cursor=bm90LWEtbnVtYmVy"), 400));
    }
}
