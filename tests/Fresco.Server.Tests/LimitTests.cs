using System.Net;

namespace Fresco.Server.Tests;

public sealed class LimitTests
{
    private static Task<HttpResponseMessage> Get(TestApp app, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task EachKeyOverItsRateGets429WithRetryAfterWhileOtherKeysAndProbesPass()
    {
        await using var app = await TestApp.StartAsync(("Server:ApiKey", "admin"), ("Server:ReadApiKeys:0", "shop"),
            ("Server:RateLimitPerSecond", "1"), ("Server:RateLimitBurst", "3"));
        for (var i = 0; i < 3; i++)
        {
            await app.Json(Get(app, "/api/popular", "shop"));
        }
        using (var refused = await Get(app, "/api/popular", "shop"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
        Assert.Contains("Server:RateLimitPerSecond", await app.Problem(Get(app, "/api/popular", "shop"), 429));
        await app.Json(Get(app, "/api/popular", "admin"));
        await app.Json(Get(app, "/api/health/ready", null));
        await app.Problem(Get(app, "/api/popular", null), 401);
    }

    [Fact]
    public async Task BeyondTheConcurrencyLimitAndItsQueueRequestsAre503WithRetryAfterAtOnce()
    {
        await using var app = await TestApp.StartAsync(("Server:MaxConcurrentRequests", "1"), ("Server:MaxQueuedRequests", "1"));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Engine.FeedbackGate = gate.Task;
        var ct = TestContext.Current.CancellationToken;
        var running = app.Post("/api/feedback", """[{"FeedbackType":"view","UserId":"u1","ItemId":"i1"}]""");
        await WaitUntil(() => app.Engine.FeedbackGateWaiters > 0, ct);
        var queued = app.Get("/api/popular");
        await Task.Delay(100, ct);
        Assert.False(queued.IsCompleted, "the second request should wait in the queue");

        var started = System.Diagnostics.Stopwatch.StartNew();
        using (var shed = await app.Get("/api/popular"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
            Assert.Equal("1", shed.Headers.GetValues("Retry-After").Single());
            Assert.Contains("at capacity", await shed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"shedding took {started.Elapsed}");
        await app.Json(app.Get("/api/health/live"));

        gate.SetResult();
        await app.Json(running);
        await app.Json(queued);
        await app.Json(app.Get("/api/popular"));
        Assert.Single((await app.Engine.Store.ListUsersAsync("", 10, ct)).Items);
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25, cancellationToken);
        }
        Assert.True(condition());
    }
}
