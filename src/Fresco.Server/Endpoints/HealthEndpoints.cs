using Fresco.Engine;
using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Health probes, answered without an API key: live (the process serves HTTP: always 200) and ready (the engine loaded
/// its state: 200, else 503; its body says whether the store takes writes). Thread-safe (stateless handlers).
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/health/live", (IFrescoEngine engine) =>
                TypedResults.Json(new HealthContract(true, engine.IsReady, !engine.GetStatus().StoreFull), FrescoJson.Default.HealthContract))
            .WithSummary("Liveness: 200 while the process serves HTTP. No API key needed.").Produces<HealthContract>();
        api.MapGet("/health/ready", (IFrescoEngine engine) =>
                TypedResults.Json(new HealthContract(true, engine.IsReady, !engine.GetStatus().StoreFull), FrescoJson.Default.HealthContract,
                    statusCode: engine.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable))
            .WithSummary("Readiness: 200 once the engine has loaded its state, 503 before; Writable is false while the store's disk "
                + "is full (reads still work, so it stays 200). No API key needed.")
            .Produces<HealthContract>().Produces<HealthContract>(StatusCodes.Status503ServiceUnavailable);
    }
}
