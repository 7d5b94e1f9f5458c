namespace Fresco.Server.Tests;

public sealed class UserEndpointsTests
{
    [Fact]
    public async Task UserRoundTripsWithGorseFieldNames()
    {
        await using var app = await TestApp.StartAsync();
        var written = await app.Json(app.Post("/api/user", """{"UserId":"u1","Labels":["a","b"],"Comment":"hi","Subscribe":["x"]}"""));
        Assert.Equal(1, written.GetProperty("RowAffected").GetInt32());

        var user = await app.Json(app.Get("/api/user/u1"));
        Assert.Equal("""{"UserId":"u1","Labels":["a","b"],"Comment":"hi"}""", user.GetRawText());

        await app.Json(app.SendJson(HttpMethod.Patch, "/api/user/u1", """{"Comment":"changed"}"""));
        user = await app.Json(app.Get("/api/user/u1"));
        Assert.Equal("changed", user.GetProperty("Comment").GetString());
        Assert.Equal(2, user.GetProperty("Labels").GetArrayLength());

        Assert.Equal(1, (await app.Json(app.Delete("/api/user/u1"))).GetProperty("RowAffected").GetInt32());
        Assert.Contains("unknown user 'u1'", await app.Problem(app.Get("/api/user/u1"), 404));
    }

    [Fact]
    public async Task FieldNamesAreReadCaseInsensitivelyAsGoDoes()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/user", """{"userid":"u2","labels":["x"]}"""));
        Assert.Equal("x", (await app.Json(app.Get("/api/user/u2"))).GetProperty("Labels")[0].GetString());
    }

    [Fact]
    public async Task UsersListInPagesFollowingTheCursor()
    {
        await using var app = await TestApp.StartAsync();
        var written = await app.Json(app.Post("/api/users", """[{"UserId":"c"},{"UserId":"a"},{"UserId":"e"},{"UserId":"b"},{"UserId":"d"}]"""));
        Assert.Equal(5, written.GetProperty("RowAffected").GetInt32());

        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        do
        {
            var page = await app.Json(app.Get($"/api/users?n=2&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("UserId").GetString()!));
            cursor = page.GetProperty("Cursor").GetString()!;
            pages++;
        }
        while (cursor.Length > 0 && pages < 10);
        Assert.Equal(["a", "b", "c", "d", "e"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task UnknownUserAnswers404ForEveryVerb()
    {
        await using var app = await TestApp.StartAsync();
        await app.Problem(app.Get("/api/user/ghost"), 404);
        await app.Problem(app.SendJson(HttpMethod.Patch, "/api/user/ghost", """{"Comment":"x"}"""), 404);
        await app.Problem(app.Delete("/api/user/ghost"), 404);
        await app.Problem(app.Get("/api/user/ghost/feedback"), 404);
        await app.Problem(app.Get("/api/user/ghost/neighbors"), 404);
    }
}
