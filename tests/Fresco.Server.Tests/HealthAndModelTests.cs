namespace Fresco.Server.Tests;

public sealed class HealthAndModelTests
{
    [Fact]
    public async Task ReadyFollowsTheEngineAndLiveDoesNot()
    {
        await using var app = await TestApp.StartAsync();
        app.Engine.IsReady = false;
        Assert.Equal("""{"Live":true,"Ready":false,"Writable":true,"Problems":[]}""", (await app.Json(app.Get("/api/health/ready"), 503)).GetRawText());
        await app.Json(app.Get("/api/health/live"));
        app.Engine.IsReady = true;
        await app.Json(app.Get("/api/health/ready"));
    }

    [Fact]
    public async Task AFullStoreShowsInTheProbesWithoutTakingTheServerOutOfRotation()
    {
        await using var app = await TestApp.StartAsync();
        app.Engine.StoreFull = true;
        Assert.Equal("""{"Live":true,"Ready":true,"Writable":false,"Problems":[]}""", (await app.Json(app.Get("/api/health/ready"))).GetRawText());
        Assert.Equal("""{"Live":true,"Ready":true,"Writable":false,"Problems":[]}""", (await app.Json(app.Get("/api/health/live"))).GetRawText());
    }

    [Fact]
    public async Task ModelsListsStoredVersionsAndTheServingOne()
    {
        await using var app = await TestApp.StartAsync();
        Assert.Equal("""{"Serving":null,"ServingKind":null,"Versions":[],"LastSearch":null}""", (await app.Json(app.Get("/api/models"))).GetRawText());
        using var bytes = new MemoryStream([1, 2, 3]);
        await app.Engine.Store.SaveModelAsync(7, "als", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new Dictionary<string, double> { ["ndcg@10"] = 0.5 }, bytes, TestContext.Current.CancellationToken);
        var version = (await app.Json(app.Get("/api/models"))).GetProperty("Versions")[0];
        Assert.Equal(7, version.GetProperty("Version").GetInt64());
        Assert.Equal("als", version.GetProperty("Kind").GetString());
        Assert.Equal(0.5, version.GetProperty("Metrics").GetProperty("ndcg@10").GetDouble());
        Assert.Equal(3, version.GetProperty("SizeBytes").GetInt64());
        Assert.False(version.GetProperty("IsServing").GetBoolean());
    }

    [Fact]
    public async Task TrainAnswersTheReportAndFailuresAre409()
    {
        await using var app = await TestApp.StartAsync();
        var report = await app.Json(app.Post("/api/models/train", ""));
        Assert.True(report.GetProperty("Promoted").GetBoolean());
        Assert.Equal("no model is being served", report.GetProperty("Reason").GetString());
        Assert.Equal(0.25, report.GetProperty("CandidateMetrics").GetProperty("ndcg@10").GetDouble());
        Assert.Equal(1.5, report.GetProperty("DurationSeconds").GetDouble());

        app.Engine.TrainingFailure = new InvalidOperationException("only 3 events; Training:MinEvents is 100");
        Assert.Contains("only 3 events", await app.Problem(app.Post("/api/models/train", ""), 409));
    }

    [Fact]
    public async Task RollbackWithNothingToGoBackToIs409()
    {
        await using var app = await TestApp.StartAsync();
        Assert.Contains("nothing is being served", await app.Problem(app.Post("/api/models/rollback", ""), 409));
        Assert.Null(app.Engine.Models.Current);
    }
}
