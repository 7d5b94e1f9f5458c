namespace Fresco.Server.Tests;

public sealed class ItemEndpointsTests
{
    [Fact]
    public async Task ItemRoundTripsWithAnRfc3339UtcTimestamp()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/item",
            """{"ItemId":"i1","IsHidden":true,"Categories":["c1"],"Labels":["l1","l2"],"Comment":"x","Timestamp":"2024-05-01T12:30:00+02:00"}"""));
        var item = await app.Json(app.Get("/api/item/i1"));
        Assert.Equal(
            """{"ItemId":"i1","IsHidden":true,"Categories":["c1"],"Labels":["l1","l2"],"Comment":"x","Timestamp":"2024-05-01T10:30:00Z"}""",
            item.GetRawText());
    }

    [Fact]
    public async Task DateOnlyTimestampsAreAcceptedAsGorseClientsSendThem()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/items", """[{"ItemId":"i1","Timestamp":"2022-02-24"},{"ItemId":"i2"}]"""));
        Assert.Equal("2022-02-24T00:00:00Z", (await app.Json(app.Get("/api/item/i1"))).GetProperty("Timestamp").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", (await app.Json(app.Get("/api/item/i2"))).GetProperty("Timestamp").GetString());
    }

    [Fact]
    public async Task PatchChangesOnlyTheGivenFields()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/item", """{"ItemId":"i1","Categories":["c1"],"Labels":["l1"],"Comment":"old"}"""));
        await app.Json(app.SendJson(HttpMethod.Patch, "/api/item/i1", """{"IsHidden":true,"Timestamp":"2020-01-02T03:04:05Z"}"""));
        var item = await app.Json(app.Get("/api/item/i1"));
        Assert.True(item.GetProperty("IsHidden").GetBoolean());
        Assert.Equal("old", item.GetProperty("Comment").GetString());
        Assert.Equal("c1", item.GetProperty("Categories")[0].GetString());
        Assert.Equal("2020-01-02T03:04:05Z", item.GetProperty("Timestamp").GetString());
        await app.Problem(app.SendJson(HttpMethod.Patch, "/api/item/i9", """{"Comment":"x"}"""), 404);
    }

    [Fact]
    public async Task CategoriesAreAddedAndRemovedByPath()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/item", """{"ItemId":"i1","Categories":["c1"]}"""));
        await app.Json(app.Client.PutAsync("/api/item/i1/category/c2", null, TestContext.Current.CancellationToken));
        Assert.Equal(["c1", "c2"], TestApp.Ids((await app.Json(app.Get("/api/item/i1"))).GetProperty("Categories")));
        await app.Json(app.Delete("/api/item/i1/category/c1"));
        Assert.Equal(["c2"], TestApp.Ids((await app.Json(app.Get("/api/item/i1"))).GetProperty("Categories")));
        await app.Problem(app.Client.PutAsync("/api/item/i9/category/c2", null, TestContext.Current.CancellationToken), 404);
    }

    [Fact]
    public async Task ItemsListInPagesAndDeleteRemovesTheItem()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/items", """[{"ItemId":"b"},{"ItemId":"a"},{"ItemId":"c"}]"""));
        var first = await app.Json(app.Get("/api/items?n=2"));
        Assert.Equal(["a", "b"], first.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("ItemId").GetString()));
        var second = await app.Json(app.Get($"/api/items?n=2&cursor={first.GetProperty("Cursor").GetString()}"));
        Assert.Equal(["c"], second.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("ItemId").GetString()));
        Assert.Equal("", second.GetProperty("Cursor").GetString());
        await app.Json(app.Delete("/api/item/b"));
        await app.Problem(app.Get("/api/item/b"), 404);
        await app.Problem(app.Delete("/api/item/b"), 404);
    }

    [Theory]
    [InlineData("""{"ItemId":"i1","Labels":{"color":"red"}}""", "array of strings, found an object")]
    [InlineData("""{"ItemId":"i1","Labels":[1,2]}""", "found a number in it")]
    [InlineData("""{"ItemId":"i1","Categories":"c1"}""", "array of strings, found a string")]
    [InlineData("""{"ItemId":"i1","Timestamp":"yesterday"}""", "item.Timestamp must be an RFC 3339 time")]
    public async Task LabelsCategoriesAndTimestampsOfAnotherShapeAreRejected(string body, string message)
    {
        await using var app = await TestApp.StartAsync();
        Assert.Contains(message, await app.Problem(app.Post("/api/item", body), 400));
        await app.Problem(app.Get("/api/item/i1"), 404);
    }
}
