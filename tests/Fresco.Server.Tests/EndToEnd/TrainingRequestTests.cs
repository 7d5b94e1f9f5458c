using Fresco.Engine;
using Fresco.Engine.Training;
using Fresco.Storage.Sqlite;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// <c>POST /api/models/train</c> on the real engine (SQLite, <see cref="Shop"/>) whose trainer waits at a gate the test
/// opens: a run a request started goes on when the request is cancelled (a proxy's timeout), and <c>wait=false</c>
/// answers 202 at once with where to look for the version.
/// </summary>
public sealed class TrainingRequestTests : IDisposable
{
    private readonly DataFolder _data = new();
    private readonly GatedTrainer _trainer = new();

    public void Dispose()
    {
        _trainer.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task ACancelledRequestDoesNotCancelTheRun()
    {
        await using var app = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var request = app.Client.PostAsync("/api/models/train", null, gone.Token);
        await _trainer.Entered.Task.WaitAsync(ct);
        await gone.CancelAsync(); // the client (or a proxy's timeout) gives up while the model trains
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        _trainer.Gate.SetResult();
        var versions = await WaitForServingAsync(app, 1);
        Assert.Equal(1, versions.GetProperty("Serving").GetInt64());
        Assert.False(_trainer.Cancelled);
    }

    [Fact]
    public async Task WaitFalseAnswers202AtOnceAndTheVersionShowsInModels()
    {
        await using var app = await StartAsync();
        using var response = await app.Post("/api/models/train?wait=false", "");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/models", response.Headers.Location?.OriginalString);
        var started = await app.Json(Task.FromResult(response), 202);
        Assert.Equal(0, started.GetProperty("AfterVersion").GetInt64());
        Assert.Empty((await app.Json(app.Get("/api/models"))).GetProperty("Versions").EnumerateArray());

        _trainer.Gate.SetResult();
        var versions = await WaitForServingAsync(app, 1);
        Assert.Equal(1, versions.GetProperty("Versions")[0].GetProperty("Version").GetInt64());

        // A waited request still answers the report; the next run's version is newer than what 202 named.
        var report = await app.Json(app.Post("/api/models/train", ""));
        Assert.Equal(2, report.GetProperty("Version").GetInt64());
        Assert.Equal(2, (await app.Json(app.Post("/api/models/train?wait=false", ""), 202)).GetProperty("AfterVersion").GetInt64());
    }

    private async Task<TestApp> StartAsync()
    {
        var app = await TestApp.StartWithAsync(CreateEngineAsync, _data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        return app;
    }

    /// <summary>GET /api/models once version <paramref name="version"/> serves (or after 30 s).</summary>
    private static async Task<System.Text.Json.JsonElement> WaitForServingAsync(TestApp app, long version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var models = await app.Json(app.Get("/api/models"));
            if (models.GetProperty("Serving") is { ValueKind: System.Text.Json.JsonValueKind.Number } serving && serving.GetInt64() >= version
                || DateTime.UtcNow > deadline)
            {
                return models;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private async Task<IFrescoEngine> CreateEngineAsync(FrescoServerOptions server, FrescoEngineOptions engine, IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var store = await SqliteStore.OpenAsync(server.DataDir, new SqliteStoreOptions(), cancellationToken);
        return await new FrescoEngineBuilder(store, engine, _trainer) { OwnsStore = true }.StartAsync(cancellationToken);
    }

    /// <summary>The engine's trainer, once <see cref="Gate"/> is open; records whether a run's token was cancelled. Thread-safe.</summary>
    private sealed class GatedTrainer : IModelTrainer, IDisposable
    {
        private readonly EngineTrainer _inner = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private volatile bool _cancelled;

        public bool Cancelled => _cancelled;

        public async Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            try
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _cancelled = true;
                throw;
            }
            return await _inner.TrainAsync(snapshot, cancellationToken);
        }

        public void Dispose() => _inner.Dispose();
    }
}
