namespace Fresco.Server.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsCountRequestsPerRouteTemplateAndExportTheEngineMeter()
    {
        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/feedback", """[{"FeedbackType":"metrics-test-type","UserId":"u-metrics","ItemId":"i"}]"""));
        await app.Json(app.Get("/api/user/u-metrics"));
        await app.Json(app.Post("/api/models/train", ""));

        await app.Json(app.Post("/api/feedback", """[{"FeedbackType":"metrics-test-type","UserId":"u-metrics","ItemId":"i2"}]"""));
        using var response = await app.Get("/metrics");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("http_request_duration_seconds_bucket{", text);
        Assert.Contains("endpoint=\"/api/user/{id}\"", text);
        Assert.DoesNotContain("u-metrics", text);
        // prometheus-net's meter adapter names a series <meter>_<instrument>: "Fresco.Engine" + "events.ingested".
        Assert.Contains("fresco_engine_events_ingested{type=\"metrics-test-type\"} 2\n", text);
        // Synchronous Gauge<T> instruments, which the adapter skips, are exported by the server's own listener.
        Assert.Contains("fresco_engine_training_candidate_quality{metric=\"ndcg@10\"} 0.25\n", text);
    }
}
