namespace Fresco.Server.Tests;

public sealed class AuthTests
{
    private static Task<HttpResponseMessage> Send(TestApp app, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WithAKeyConfiguredEveryRequestNeedsIt()
    {
        await using var app = await TestApp.StartAsync(("Server:ApiKey", "s3cret"));
        Assert.Contains("requires an API key", await app.Problem(Send(app, "/api/popular", null), 401));
        Assert.Contains("does not match", await app.Problem(Send(app, "/api/popular", "wrong"), 401));
        await app.Problem(Send(app, "/api/popular", "s3cret-longer"), 401);
        await app.Problem(Send(app, "/api/no-such-route", null), 401);
        await app.Problem(Send(app, "/metrics", null), 401);
        await app.Problem(Send(app, "/openapi/v1.json", null), 401);
        Assert.Equal(0, (await app.Json(Send(app, "/api/popular", "s3cret"))).GetArrayLength());
    }

    [Fact]
    public async Task HealthProbesNeedNoKey()
    {
        await using var app = await TestApp.StartAsync(("Server:ApiKey", "s3cret"));
        Assert.True((await app.Json(Send(app, "/api/health/live", null))).GetProperty("Live").GetBoolean());
        Assert.True((await app.Json(Send(app, "/api/health/ready", null))).GetProperty("Ready").GetBoolean());
    }

    [Fact]
    public async Task WithoutAKeyConfiguredNothingIsChecked()
    {
        await using var app = await TestApp.StartAsync(("Server:ApiKey", ""));
        await app.Json(Send(app, "/api/popular", null));
    }
}
