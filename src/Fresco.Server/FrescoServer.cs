using Fresco.Engine;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Dashboard;
using Fresco.Server.Endpoints;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Scalar.AspNetCore;

namespace Fresco.Server;

/// <summary>
/// Builds and runs the HTTP server around an engine: Gorse-compatible endpoints under <c>/api</c>, problem details for
/// every error, the API key check, rate limits, load shedding (by thread-pool queueing delay and by a concurrency limit), optional TLS, request metrics and the engine's meter at <c>/metrics</c>, the OpenAPI document
/// at <c>/openapi/v1.json</c> with a browsable reference at <c>/api-reference</c>, the operator's dashboard at <c>/dashboard</c>. The server owns the engine it creates and disposes it on shutdown. Thread-safe (static).
/// </summary>
public static class FrescoServer
{
    /// <summary>
    /// Builds the application and creates the engine. <paramref name="configure"/> runs last on the builder (tests
    /// swap in a test server there). The caller disposes the returned application, which disposes the engine.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(FrescoSettings settings, CreateEngine createEngine,
        Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(createEngine);
        MetricsSetup.EnsureConfigured();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(FrescoServer).Assembly.GetName().Name });
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Logging.ClearProviders().AddConfiguration(settings.Configuration.GetSection("Logging"));
        _ = settings.Configuration["Logging:Console:FormatterName"] switch
        {
            "simple" => builder.Logging.AddSimpleConsole(),
            "systemd" => builder.Logging.AddSystemdConsole(),
            _ => builder.Logging.AddJsonConsole(), // "json", the default: one JSON object per line
        };
        var server = settings.Server;
        var scheme = server.CertificatePath is null ? "http" : "https";
        builder.WebHost.UseUrls($"{scheme}://{(server.Host.Contains(':', StringComparison.Ordinal) ? $"[{server.Host}]" : server.Host)}:{server.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes);
        if (ServerFiles.LoadCertificate(server) is { } certificate)
        {
            builder.WebHost.UseKestrelHttpsConfiguration().ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }
        AddServices(builder.Services, settings);
        configure?.Invoke(builder);

        var app = builder.Build();
        try
        {
            // Resolved once now, so the container disposes the engine (which closes what it owns) when the app stops.
            var holder = app.Services.GetRequiredService<EngineHolder>();
            holder.Engine = await createEngine(server, settings.Engine, app.Services, cancellationToken).ConfigureAwait(false);
            _ = app.Services.GetRequiredService<IFrescoEngine>();
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // prometheus-net starts its .NET meter adapter at the first collection: collect once now so that no
        // measurement recorded before the first scrape is lost.
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        if (server.ApiKey is null && !server.IsLoopbackOnly)
        {
            ServerLog.OpenBeyondLoopback(app.Logger, server.Host);
        }
        UsePipeline(app, server);
        MapEndpoints(app);
        return app;
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> fires or the process is asked to stop (Ctrl-C, SIGTERM), then
    /// stops gracefully: requests in flight finish, the engine is disposed. Writes the listening URL to <paramref name="output"/>.
    /// </summary>
    public static async Task RunAsync(FrescoSettings settings, CreateEngine createEngine, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        var app = await BuildAsync(settings, createEngine, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            await output.WriteLineAsync(
                $"fresco: listening on {string.Join(", ", addresses)} (data: {Path.GetFullPath(settings.Server.DataDir)}); Ctrl-C stops")
                .ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AddServices(IServiceCollection services, FrescoSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Server);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EngineHolder>();
        services.AddSingleton<IFrescoEngine>(sp => sp.GetRequiredService<EngineHolder>().Engine);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadInputExceptionHandler>();
        services.AddExceptionHandler<StoreFullExceptionHandler>();
        RateLimits.Add(services, settings.Server);
        services.AddSingleton<QueueDelayShedder>();
        services.AddSingleton<ServerMetrics>();
        if (settings.Server.QueueDelayTarget > TimeSpan.Zero)
        {
            services.AddHostedService<ThreadPoolDelayProbe>();
        }
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = null;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, FrescoJson.Default);
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Fresco";
            document.Info.Description = "Real-time recommendations with Gorse's REST API. With Server:ApiKey set, every request "
                + "except /api/health/* needs the X-API-Key header (a read-only key: the recommendation endpoints only). Errors are RFC 7807 problem details.";
            return Task.CompletedTask;
        }));
    }

    private static void UsePipeline(WebApplication app, FrescoServerOptions server)
    {
        if (server.QueueDelayTarget > TimeSpan.Zero)
        {
            app.UseMiddleware<QueueDelayMiddleware>(); // first: a shed request costs only its parsing
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDashboardAssets();
        app.UseRouting();
        app.UseHttpMetrics();
        app.UseMiddleware<BodyLimitMiddleware>(server.MaxRequestBodyBytes);
        if (server.ApiKey is not null)
        {
            app.UseMiddleware<ApiKeyMiddleware>(server);
        }
        RateLimits.Use(app, server);
        if (server.MaxConcurrentRequests > 0)
        {
            app.UseMiddleware<LoadSheddingMiddleware>(server);
        }
    }

    private static void MapEndpoints(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapUsers();
        api.MapItems();
        api.MapFeedback();
        api.MapGroup("").WithMetadata(ReadKeyAccess.Instance).MapRecommend();
        api.MapModels();
        api.MapScenarios();
        api.MapExperiments();
        api.MapHealth();
        api.MapDashboardApi();
        app.MapDashboardPages();
        app.MapOpenApi();
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("Fresco API"));
        app.MapMetrics("/metrics");
    }
}
