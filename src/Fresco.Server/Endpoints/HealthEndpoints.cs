using Fresco.Engine;
using Fresco.Engine.Cluster;
using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Health probes, answered without an API key: live (the process serves HTTP: always 200) and ready (the engine loaded
/// its state: 200, else 503). Their body says whether the store takes writes and lists what degrades the node (a
/// full disk, or a cluster node's unreachable PostgreSQL or Redis: the node stays ready, it answers reads from memory).
/// Thread-safe (stateless handlers).
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
            .WithSummary("Readiness: 200 once the engine has loaded its state, 503 before; Writable is false while the store's disk "
                + "is full (reads still work, so it stays 200). No API key needed.")
            .Produces<HealthContract>().Produces<HealthContract>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/cluster", async (IFrescoEngine engine, CancellationToken cancellationToken) =>
                TypedResults.Json(await engine.GetClusterAsync(cancellationToken), FrescoJson.Default.ClusterView))
            .WithSummary("The cluster as this node sees it: this node, the trainer (Leader), the served version, every node heard from.")
            .Produces<ClusterView>();
    }

    private static HealthContract Health(IFrescoEngine engine)
    {
        var status = engine.GetStatus();
        return new(true, engine.IsReady, !status.StoreFull, status.Cluster?.Problems ?? []);
    }
}
