using Fresco.Engine;
using Fresco.Engine.Scenarios;
using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Fresco's scenario endpoints: put (a new version, checked before it is stored; a bad rule is a 400 problem whose
/// <c>field</c> names it), get, list, delete. Recommendation endpoints apply one with <c>scenario={name}</c>.
/// Thread-safe (stateless handlers, shared with experiments through
/// <see cref="DefinitionEndpoints{TDefinition, TStored}"/>; the engine serializes scenario writes).
/// </summary>
internal static class ScenarioEndpoints
{
    private static readonly DefinitionEndpoints<Scenario, ScenarioVersion> s_handlers = new("scenario", "served",
        FrescoJson.Default.Scenario, FrescoJson.Default.ScenarioVersion, FrescoJson.Default.ScenarioVersionArray);

    public static void MapScenarios(this RouteGroupBuilder api)
    {
        api.MapPut("/scenarios/{name}", (string name, HttpContext context, IFrescoEngine engine) =>
                s_handlers.PutAsync(name, context, engine.PutScenarioAsync))
            .WithSummary("Store a new version of a scenario (business rules of a placement) and serve it; answers the version.")
            .Accepts<Scenario>("application/json").Produces<ScenarioVersion>().ProducesProblem(400);
        api.MapGet("/scenarios/{name}", (string name, IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.GetAsync(name, engine.GetScenarioAsync, cancellationToken))
            .WithSummary("A scenario's current version.").Produces<ScenarioVersion>().ProducesProblem(404);
        api.MapGet("/scenarios", (IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.ListAsync(engine.ListScenariosAsync, cancellationToken))
            .WithSummary("Every scenario's current version, by name.").Produces<ScenarioVersion[]>();
        api.MapDelete("/scenarios/{name}", (string name, IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.DeleteAsync(name, engine.DeleteScenarioAsync, cancellationToken))
            .WithSummary("Delete a scenario; requests naming it are refused from then on.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
    }
}
