using Fresco.Engine;
using Fresco.Engine.Cluster;
using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Health probes, answered without an API key: live (the process serves HTTP: always 200) and ready (the engine loaded
/// its state: 200, else 503). Both list what degrades the node (a cluster node whose PostgreSQL or Redis is unreachable
/// stays ready: it answers reads from memory). Thread-safe (stateless handlers).
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/health/live", (IFrescoEngine engine) => TypedResults.Json(Health(engine), FrescoJson.Default.HealthContract))
            .WithSummary("Liveness: 200 while the process serves HTTP. No API key needed.").Produces<HealthContract>();
        api.MapGet("/health/ready", (IFrescoEngine engine) =>
                TypedResults.Json(Health(engine), FrescoJson.Default.HealthContract,
                    statusCode: engine.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable))
            .WithSummary("Readiness: 200 once the engine has loaded its state, 503 before. No API key needed.")
            .Produces<HealthContract>().Produces<HealthContract>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/cluster", async (IFrescoEngine engine, CancellationToken cancellationToken) =>
                TypedResults.Json(await engine.GetClusterAsync(cancellationToken), FrescoJson.Default.ClusterView))
            .WithSummary("The cluster as this node sees it: this node, the trainer (Leader), the served version, every node heard from.")
            .Produces<ClusterView>();
    }

    private static HealthContract Health(IFrescoEngine engine) =>
        new(true, engine.IsReady, engine.GetStatus().Cluster?.Problems ?? []);
}
