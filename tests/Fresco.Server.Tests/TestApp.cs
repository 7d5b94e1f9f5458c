using System.Text;
using System.Text.Json;
using Fresco.Engine;
using Fresco.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fresco.Server.Tests;

/// <summary>
/// A server on an in-process test host around a <see cref="FakeEngine"/>, or around the real engine of
/// <see cref="EngineFactory"/> in a data folder (<see cref="StartRealAsync"/>; behind Kestrel on a loopback port with
/// <see cref="StartListeningAsync"/>); one per test. Not thread-safe.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeEngine? _fake;

    private TestApp(WebApplication app, FakeEngine? engine)
    {
        _app = app;
        _fake = engine;
        if (app.Services.GetRequiredService<IServer>() is TestServer)
        {
            Client = app.GetTestClient();
            BaseAddress = Client.BaseAddress!;
        }
        else
        {
            BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            Client = new HttpClient { BaseAddress = BaseAddress };
        }
    }

    public FakeEngine Engine => _fake ?? throw new InvalidOperationException("this app runs the real engine");

    public HttpClient Client { get; }

    /// <summary>Where the server answers (a loopback URL for <see cref="StartListeningAsync"/>).</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestApp> StartAsync(params (string Key, string? Value)[] settings) => StartAsync(null, settings);

    /// <summary>As <see cref="StartAsync(ValueTuple{string, string}[])"/>, with <paramref name="services"/> changing the server's services last.</summary>
    public static async Task<TestApp> StartAsync(Action<IServiceCollection>? services, params (string Key, string? Value)[] settings)
    {
        var engine = new FakeEngine();
        return new TestApp(await BuildAsync((_, _, _, _) => Task.FromResult<IFrescoEngine>(engine), settings, services: services), engine);
    }

    /// <summary>The production engine (SQLite store, trainer, retrieval) with its data in <paramref name="dataDir"/>.</summary>
    public static async Task<TestApp> StartRealAsync(string dataDir, params (string Key, string? Value)[] settings) =>
        new(await BuildAsync(EngineFactory.CreateAsync, [("Server:DataDir", dataDir), .. settings]), null);

    /// <summary>The engine <paramref name="createEngine"/> makes (a real engine with a test's trainer, for instance).</summary>
    public static async Task<TestApp> StartWithAsync(CreateEngine createEngine, string dataDir, params (string Key, string? Value)[] settings) =>
        new(await BuildAsync(createEngine, [("Server:DataDir", dataDir), .. settings]), null);

    /// <summary>As <see cref="StartRealAsync(string, ValueTuple{string, string}[])"/>, logging to <paramref name="logs"/> too.</summary>
    public static async Task<TestApp> StartRealAsync(string dataDir, ILoggerProvider logs, params (string Key, string? Value)[] settings) =>
        new(await BuildAsync(EngineFactory.CreateAsync, [("Server:DataDir", dataDir), .. settings], logs), null);

    /// <summary>The real engine behind Kestrel on a free loopback port, for clients outside the process (a browser).</summary>
    public static async Task<TestApp> StartListeningAsync(string dataDir, params (string Key, string? Value)[] settings) =>
        new(await BuildAsync(EngineFactory.CreateAsync, [("Server:DataDir", dataDir), ("Server:Port", "0"), .. settings], host: b => { }), null);

    private static async Task<WebApplication> BuildAsync(CreateEngine createEngine, (string Key, string? Value)[] settings,
        ILoggerProvider? logs = null, Action<WebApplicationBuilder>? host = null, Action<IServiceCollection>? services = null)
    {
        var overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }
        var configuration = FrescoConfiguration.Build(null, overrides, useEnvironment: false, workingDirectory: AppContext.BaseDirectory);
        var app = await FrescoServer.BuildAsync(FrescoConfiguration.Bind(configuration), createEngine, b =>
        {
            if (host is null)
            {
                b.WebHost.UseTestServer();
            }
            else
            {
                host(b);
            }
            if (logs is not null)
            {
                b.Logging.AddProvider(logs);
            }
            services?.Invoke(b.Services);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    public Task<HttpResponseMessage> SendJson(HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> Post(string path, string json) => SendJson(HttpMethod.Post, path, json);

    public Task<HttpResponseMessage> Get(string path) => Client.GetAsync(path, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> Delete(string path) => Client.DeleteAsync(path, TestContext.Current.CancellationToken);

    /// <summary>Sends and checks the status; returns the parsed body.</summary>
    public async Task<JsonElement> Json(Task<HttpResponseMessage> sending, int status = 200)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends, checks the status and that the answer is an RFC 7807 problem; returns its detail.</summary>
    public async Task<string> Problem(Task<HttpResponseMessage> sending, int status)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
    }

    public static string[] Ids(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("Id").GetString()!)];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
