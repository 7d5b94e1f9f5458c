using Fresco.Server.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

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

    [Fact]
    public async Task AReadKeyReachesTheReadEndpointsOnlyAndIsRefusedElsewhereWith403()
    {
        await using var app = await TestApp.StartAsync(("Server:ApiKey", "admin-key"), ("Server:ReadApiKeys:0", "shop-1"),
            ("Server:ReadApiKeys:1", "shop-2"));
        foreach (var key in new[] { "shop-1", "shop-2" })
        {
            await app.Json(Send(app, "/api/popular", key));
            await app.Json(Send(app, "/api/latest", key));
            await app.Json(Send(app, "/api/non-personalized/trending", key));
            Assert.Contains("unknown user", await app.Problem(Send(app, "/api/recommend/nobody", key), 404));
            Assert.Contains("read-only", await app.Problem(Send(app, "/api/users", key), 403));
            await app.Problem(Send(app, "/api/models", key), 403);
            await app.Problem(Send(app, "/metrics", key), 403);
            await app.Problem(Send(app, "/api/no-such-route", key), 403);
            var write = new HttpRequestMessage(HttpMethod.Post, "/api/feedback")
            {
                Content = new StringContent("""[{"FeedbackType":"view","UserId":"u1","ItemId":"i1"}]""", System.Text.Encoding.UTF8, "application/json"),
            };
            write.Headers.Add("X-API-Key", key);
            await app.Problem(app.Client.SendAsync(write, TestContext.Current.CancellationToken), 403);
        }
        Assert.Empty((await app.Engine.Store.ListUsersAsync("", 10, TestContext.Current.CancellationToken)).Items);
        await app.Problem(Send(app, "/api/popular", null), 401);
        await app.Problem(Send(app, "/api/popular", "shop-3"), 401);
        await app.Json(Send(app, "/api/users", "admin-key"));
        await app.Json(Send(app, "/api/models", "admin-key"));
    }

    [Fact]
    public async Task TheAdminKeyCanComeFromAFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "from-a-file\n", TestContext.Current.CancellationToken);
            await using var app = await TestApp.StartAsync(("Server:ApiKeyFile", file));
            await app.Json(Send(app, "/api/users", "from-a-file"));
            await app.Problem(Send(app, "/api/users", null), 401);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ListeningBeyondLoopbackWithoutAKeyLogsAWarning()
    {
        Assert.Contains(await StartupWarnings(("Server:Host", "0.0.0.0")), w => w.Contains("no API key", StringComparison.Ordinal));
        Assert.Empty(await StartupWarnings(("Server:Host", "0.0.0.0"), ("Server:ApiKey", "k")));
        Assert.Empty(await StartupWarnings(("Server:Host", "127.0.0.1")));
        Assert.Empty(await StartupWarnings(("Server:Host", "::1")));
    }

    private static async Task<List<string>> StartupWarnings(params (string Key, string? Value)[] settings)
    {
        var overrides = settings.ToDictionary(s => s.Key, s => s.Value);
        var configuration = FrescoConfiguration.Build(null, overrides, useEnvironment: false, workingDirectory: AppContext.BaseDirectory);
        var logs = new Fresco.TestKit.RecordingLogger();
        var engine = new FakeEngine();
        await using var app = await FrescoServer.BuildAsync(FrescoConfiguration.Bind(configuration),
            (_, _, _, _) => Task.FromResult<Fresco.Engine.IFrescoEngine>(engine),
            b =>
            {
                b.WebHost.UseTestServer();
                b.Logging.AddProvider(logs);
            }, TestContext.Current.CancellationToken);
        return [.. logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];
    }
}
