using System.Net;
using System.Text;
using Fresco.Engine;
using Fresco.Server.Configuration;

namespace Fresco.Server.Tests;

public sealed class ServeTests
{
    [Fact]
    public async Task RunListensPrintsItsUrlAndDisposesTheEngineOnStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Server:Port"] = "0",
            ["Server:MaxRequestBodyBytes"] = "4096",
        };
        var settings = FrescoConfiguration.Bind(FrescoConfiguration.Build(null, overrides, useEnvironment: false, workingDirectory: AppContext.BaseDirectory));
        var engine = new FakeEngine();
        var output = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = FrescoServer.RunAsync(settings, (_, _, _, _) => Task.FromResult<IFrescoEngine>(engine), TextWriter.Synchronized(output), stop.Token);

        string? url = null;
        for (var i = 0; i < 200 && url is null && !run.IsCompleted; i++)
        {
            await Task.Delay(25, ct);
            var line = output.ToString();
            var at = line.IndexOf("http://127.0.0.1:", StringComparison.Ordinal);
            url = at < 0 ? null : line[at..].Split(' ', ',')[0];
        }
        Assert.NotNull(url);

        using var client = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health/live", ct)).StatusCode);

        // A chunked body (no Content-Length) over the limit is stopped by Kestrel's per-request limit.
        var body = "[" + string.Join(',', Enumerable.Range(0, 400).Select(i => $$"""{"UserId":"user-{{i}}"}""")) + "]";
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var tooLarge = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Empty((await engine.Store.ListUsersAsync("", 10, ct)).Items);

        Assert.False(engine.Disposed);
        Assert.Null(engine.StoreClosedAfterEngine);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(engine.Disposed);
        Assert.True(engine.StoreClosedAfterEngine);
    }
}
