using System.Net;
using Fresco.Server.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Fresco.Server.Tests;

public sealed class QueueDelaySheddingTests
{
    private static readonly long s_queue = QueueDelayShedder.MinQueueLength;

    /// <summary>A server whose shedder hears only the test (no probe) on a fake clock.</summary>
    private static async Task<(TestApp App, QueueDelayShedder Shedder, FakeTimeProvider Time)> StartAsync(params (string Key, string? Value)[] settings)
    {
        var time = new FakeTimeProvider();
        var app = await TestApp.StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            if (services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ThreadPoolDelayProbe)) is { } probe)
            {
                services.Remove(probe);
            }
        }, settings);
        return (app, app.Services.GetRequiredService<QueueDelayShedder>(), time);
    }

    private static void Overload(QueueDelayShedder shedder, FakeTimeProvider time)
    {
        shedder.Observe(TimeSpan.FromMilliseconds(100), s_queue);
        time.Advance(TimeSpan.FromMilliseconds(250));
        shedder.Observe(TimeSpan.FromMilliseconds(100), s_queue);
        Assert.True(shedder.IsShedding);
    }

    [Fact]
    public async Task WhileTheQueueStandsReadsAre503WithRetryAfterAndAProblemAndTheyRecoverWhenItDrains()
    {
        var (app, shedder, time) = await StartAsync();
        await using var _ = app;
        await app.Json(app.Get("/api/popular"));
        Overload(shedder, time);

        using (var shed = await app.Get("/api/popular"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
            Assert.Equal("1", shed.Headers.GetValues("Retry-After").Single());
        }
        Assert.Contains("Server:QueueDelayTarget", await app.Problem(app.Get("/api/recommend/u1"), 503));
        var metrics = await (await app.Get("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Matches("""fresco_server_requests_shed\{reason="queue_delay"\} [1-9]""", metrics);
        // The series is exported; its value is not checked here: /metrics is one registry per process, and other
        // tests' servers in this process report their own real probes' delays through the same instrument name.
        Assert.Matches("""(?m)^fresco_server_queue_delay [0-9.]+$""", metrics);

        time.Advance(TimeSpan.FromMilliseconds(10));
        shedder.Observe(TimeSpan.FromMilliseconds(1), s_queue);
        await app.Json(app.Get("/api/popular"));
    }

    [Fact]
    public async Task HealthProbesMetricsAndWritesAreNeverShed()
    {
        var (app, shedder, time) = await StartAsync();
        await using var _ = app;
        Overload(shedder, time);

        await app.Json(app.Get("/api/health/live"));
        await app.Json(app.Get("/api/health/ready"));
        using (var metrics = await app.Get("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }
        await app.Json(app.Post("/api/feedback", """[{"FeedbackType":"view","UserId":"u1","ItemId":"i1"}]"""));
        await app.Json(app.SendJson(HttpMethod.Patch, "/api/user/u1", """{"Labels":["a"]}"""));
        await app.Json(app.Delete("/api/feedback/u1/i1"));
        await app.Problem(app.Get("/api/users"), 503);
        Assert.Single((await app.Engine.Store.ListUsersAsync("", 10, TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task ZeroTargetTurnsQueueDelaySheddingOff()
    {
        var (app, shedder, time) = await StartAsync(("Server:QueueDelayTarget", "00:00:00"));
        await using var _ = app;
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s is ThreadPoolDelayProbe);
        Overload(shedder, time);
        await app.Json(app.Get("/api/popular"));
    }
}
