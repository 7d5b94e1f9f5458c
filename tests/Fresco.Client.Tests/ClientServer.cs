using Fresco.Server;
using Fresco.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Client.Tests;

/// <summary>
/// A real server (the production engine on a temporary data folder, an in-process test host) and a
/// <see cref="FrescoClient"/> built by <see cref="FrescoClientServiceCollectionExtensions.AddFrescoClient"/> on it; one
/// per test. <paramref name="wrap"/> may put a handler between the client's pipeline and the server. Not thread-safe.
/// </summary>
internal sealed class ClientServer : IAsyncDisposable
{
    public const string Key = "client-test-key";

    private readonly WebApplication _app;
    private readonly ServiceProvider _services;
    private readonly string _dataDir;

    private ClientServer(WebApplication app, ServiceProvider services, string dataDir)
    {
        _app = app;
        _services = services;
        _dataDir = dataDir;
        Client = services.GetRequiredService<FrescoClient>();
    }

    public FrescoClient Client { get; }

    public static async Task<ClientServer> StartAsync(string? key = Key, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "fresco-client-tests", Guid.NewGuid().ToString("N"));
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Server:DataDir"] = dataDir,
            ["Server:ApiKey"] = Key,
            ["Training:Interval"] = "00:00:00",
            ["Training:AfterEvents"] = "0",
            ["Training:MinEvents"] = "5",
            ["Training:Model"] = "itemknn",
        };
        var configuration = FrescoConfiguration.Build(null, overrides, useEnvironment: false, workingDirectory: AppContext.BaseDirectory);
        var app = await FrescoServer.BuildAsync(FrescoConfiguration.Bind(configuration), EngineFactory.CreateAsync, b => b.WebHost.UseTestServer());
        await app.StartAsync(TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddFrescoClient(new Uri("http://fresco.test/"), key)
            .ConfigurePrimaryHttpMessageHandler(() => wrap is null ? app.GetTestServer().CreateHandler() : wrap(app.GetTestServer().CreateHandler()));
        return new ClientServer(app, services.BuildServiceProvider(validateScopes: true), dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
