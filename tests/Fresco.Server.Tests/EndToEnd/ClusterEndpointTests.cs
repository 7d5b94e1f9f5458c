using Fresco.Engine.Storage;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>GET /api/cluster on a node alone, and the answer to a write the store cannot make durable.</summary>
public sealed class ClusterEndpointTests : IDisposable
{
    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task ANodeAloneReportsItselfAsTheWholeClusterAndItsTrainer()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        var cluster = await app.Json(app.Get("/api/cluster"));
        Assert.Equal("local", cluster.GetProperty("Node").GetString());
        Assert.Equal("local", cluster.GetProperty("Leader").GetString());
        var node = Assert.Single(cluster.GetProperty("Nodes").EnumerateArray());
        Assert.True(node.GetProperty("Ready").GetBoolean());
        Assert.True(node.GetProperty("Trainer").GetBoolean());
        Assert.Equal(0, (await app.Json(app.Get("/api/health/ready"))).GetProperty("Problems").GetArrayLength());
    }

    [Fact]
    public async Task AWriteTheStoreCannotMakeDurableAnswers503WithRetryAfterAndReadsGoOn()
    {
        await using var app = await TestApp.StartAsync();
        app.Engine.WriteFailure = new StoreUnavailableException("PostgreSQL is unavailable: connection refused");
        const string batch = """[{"FeedbackType":"view","UserId":"u","ItemId":"i"}]""";
        Assert.Contains("unavailable", await app.Problem(app.Post("/api/feedback", batch), 503), StringComparison.Ordinal);
        using var response = await app.Post("/api/feedback", batch);
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        await app.Json(app.Get("/api/popular"));
    }
}
