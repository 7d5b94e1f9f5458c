using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Fresco.Server.Dashboard;
using Fresco.Server.Tests.EndToEnd;
using Microsoft.Extensions.FileProviders;

namespace Fresco.Server.Tests.Dashboard;

/// <summary>The dashboard's JSON API and page serving, in-process with the real engine (no browser).</summary>
public sealed class DashboardApiTests : IDisposable
{
    private readonly DataFolder _data = new();
    private readonly DataFolder _otherData = new();

    public void Dispose()
    {
        _data.Dispose();
        _otherData.Dispose();
    }

    private static async Task<string> Text(Task<HttpResponseMessage> sending, int status = 200)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    private static Task<HttpResponseMessage> PostLines(TestApp app, string path, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(DataTransfer.JsonLines);
        return app.Client.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheOverviewCountsWhatTheApiListsAndNamesTheLastRun()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(app);
        await Shop.TrainAsync(app);
        Assert.Equal(10, (await app.Json(app.Get("/api/recommend/ua1"))).GetArrayLength());

        var overview = await app.Json(app.Get("/api/dashboard/overview"));
        Assert.Equal(20, overview.GetProperty("Users").GetInt32());
        Assert.Equal(20, overview.GetProperty("Items").GetInt32());
        Assert.Equal(100, overview.GetProperty("Feedback").GetInt64());
        Assert.Equal(1, overview.GetProperty("ServingVersion").GetInt64());
        Assert.True(overview.GetProperty("ServingMetrics").TryGetProperty("ndcg@10", out _));
        var run = overview.GetProperty("TrainingRuns")[0];
        Assert.True(run.GetProperty("Run").GetProperty("Promoted").GetBoolean());
        Assert.Equal("als", run.GetProperty("Run").GetProperty("Kind").GetString());
        Assert.Equal(1, overview.GetProperty("RecommendLatency").GetProperty("Count").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, overview.GetProperty("ClusterNodes").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, overview.GetProperty("TrainingSince").ValueKind);
    }

    [Fact]
    public async Task ExportedJsonLinesImportIntoAnEmptyServerInBatchesPastTheBodyLimit()
    {
        // Batches of 7 rows and a 1 KiB body limit: the import streams past both.
        (string, string?)[] small = [.. Shop.Settings, ("Server:MaxBatch", "7"), ("Server:MaxRequestBodyBytes", "1024")];
        await using var source = await TestApp.StartRealAsync(_data.Path, Shop.Settings);
        await Shop.SeedAsync(source);
        await using var target = await TestApp.StartRealAsync(_otherData.Path, small);
        foreach (var kind in new[] { "users", "items", "feedback" })
        {
            using var export = await source.Get($"/api/dashboard/export/{kind}");
            Assert.Equal(DataTransfer.JsonLines, export.Content.Headers.ContentType?.MediaType);
            var lines = await export.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var count = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.True(Encoding.UTF8.GetByteCount(lines) > 1024 || kind != "feedback");
            var written = await target.Json(PostLines(target, $"/api/dashboard/import/{kind}", lines));
            Assert.Equal(count, written.GetProperty("RowAffected").GetInt32());
        }
        Assert.Equal(await Text(source.Get("/api/dashboard/export/feedback")), await Text(target.Get("/api/dashboard/export/feedback")));
        Assert.Equal(await Text(source.Get("/api/dashboard/export/items")), await Text(target.Get("/api/dashboard/export/items")));
        Assert.Equal(100, (await target.Json(target.Get("/api/dashboard/overview"))).GetProperty("Feedback").GetInt64());
    }

    [Fact]
    public async Task ABadLineIsNamedAndTheRowsBeforeItAreKept()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, ("Server:MaxBatch", "2"));
        var body = "{\"UserId\":\"u1\"}\n\n{\"UserId\":\"u2\"}\r\n{\"UserId\":\"u3\"}\n{\"UserId\":\"\"}\n{\"UserId\":\"u5\"}\n";
        var detail = await app.Problem(PostLines(app, "/api/dashboard/import/users", body), 400);
        Assert.Equal("line 5.UserId must not be empty. (2 rows before it were written).", detail);
        await app.Json(app.Get("/api/user/u2"));
        await app.Problem(app.Get("/api/user/u3"), 404); // read, but its batch was not full when line 5 stopped the import

        detail = await app.Problem(PostLines(app, "/api/dashboard/import/items", "{\"ItemId\":\"i1\"}\n[1,2]"), 400);
        Assert.StartsWith("line 2 is not a JSON object of this kind", detail);
        await app.Problem(PostLines(app, "/api/dashboard/import/carts", ""), 404);
        await app.Problem(app.Get("/api/dashboard/export/carts"), 404);
    }

    [Fact]
    public async Task APastTheLimitLineIsRefused()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path);
        var line = "{\"UserId\":\"u1\",\"Comment\":\"" + new string('x', DataTransfer.MaxLineBytes + 10) + "\"}";
        var detail = await app.Problem(PostLines(app, "/api/dashboard/import/users", line), 400);
        Assert.Contains($"line 1 is longer than {DataTransfer.MaxLineBytes} bytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageNeedsNoKeyButItsDataDoes()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, ("Server:ApiKey", "k"));
        using var redirect = await app.Get("/dashboard");
        Assert.Equal("/dashboard/", redirect.Headers.Location?.ToString());
        foreach (var path in new[] { "/dashboard/", "/dashboard/users/u%2F1", "/dashboard/models" })
        {
            using var page = await app.Get(path);
            Assert.Equal(200, (int)page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Contains("/dashboard/app.js", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        Assert.Contains("uPlot", await Text(app.Get("/dashboard/lib/uplot/uPlot.iife.min.js")), StringComparison.Ordinal);
        Assert.Equal("""{"SignIn":true}""", await Text(app.Get("/dashboard/settings.json")));
        await app.Problem(app.Get("/dashboard/missing.js"), 404);
        await app.Problem(app.Get("/api/dashboard/overview"), 401);
        await app.Problem(app.Get("/api/dashboard/export/users"), 401);
    }

    [Fact]
    public async Task WithoutAKeyThePageSkipsTheSignIn()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path);
        Assert.Equal("""{"SignIn":false}""", await Text(app.Get("/dashboard/settings.json")));
    }

    [Fact]
    public void ThePagesOwnAssetsWeighUnder300KilobytesGzipped()
    {
        long raw = 0, compressed = 0;
        foreach (var file in Files(DashboardPages.Files, "/"))
        {
            using var input = file.CreateReadStream();
            var counter = new MemoryStream();
            using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
            {
                input.CopyTo(gzip);
            }
            raw += file.Length;
            compressed += counter.Length;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"dashboard assets: {raw} bytes, {compressed} gzipped");
        Assert.InRange(compressed, 10_000, 300 * 1024);
    }

    private static IEnumerable<IFileInfo> Files(IFileProvider provider, string folder) =>
        provider.GetDirectoryContents(folder).SelectMany(f => f.IsDirectory ? Files(provider, $"{folder.TrimEnd('/')}/{f.Name}") : [f]);
}
