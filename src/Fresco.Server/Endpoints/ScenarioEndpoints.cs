using Fresco.Engine;
using Fresco.Engine.Scenarios;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Fresco's scenario endpoints: put (a new version, checked before it is stored; a bad rule is a 400 problem whose
/// <c>field</c> names it), get, list, delete. Recommendation endpoints apply one with <c>scenario={name}</c>.
/// Thread-safe (stateless handlers; the engine serializes scenario writes).
/// </summary>
internal static class ScenarioEndpoints
{
    public static void MapScenarios(this RouteGroupBuilder api)
    {
        api.MapPut("/scenarios/{name}", Put)
            .WithSummary("Store a new version of a scenario (business rules of a placement) and serve it; answers the version.")
            .Accepts<Scenario>("application/json").Produces<ScenarioVersion>().ProducesProblem(400);
        api.MapGet("/scenarios/{name}", Get).WithSummary("A scenario's current version.").Produces<ScenarioVersion>().ProducesProblem(404);
        api.MapGet("/scenarios", List).WithSummary("Every scenario's current version, by name.").Produces<ScenarioVersion[]>();
        api.MapDelete("/scenarios/{name}", Delete).WithSummary("Delete a scenario; requests naming it are refused from then on.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
    }

    private static async Task<IResult> Put(string name, HttpContext context, IFrescoEngine engine)
    {
        if (ContractMapper.Id(name, "scenario name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var (scenario, error) = await JsonBody.ReadAsync(context, FrescoJson.Default.Scenario);
        if (error is not null)
        {
            return error;
        }
        try
        {
            var version = await engine.PutScenarioAsync(name, scenario!, context.RequestAborted);
            return TypedResults.Json(version, FrescoJson.Default.ScenarioVersion);
        }
        catch (ScenarioException e)
        {
            return Problems.BadScenario(e);
        }
    }

    private static async Task<IResult> Get(string name, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(name, "scenario name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var version = await engine.GetScenarioAsync(name, cancellationToken);
        return version is null ? UnknownScenario(name) : TypedResults.Json(version, FrescoJson.Default.ScenarioVersion);
    }

    private static async Task<IResult> List(IFrescoEngine engine, CancellationToken cancellationToken) =>
        TypedResults.Json([.. await engine.ListScenariosAsync(cancellationToken)], FrescoJson.Default.ScenarioVersionArray);

    private static async Task<IResult> Delete(string name, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(name, "scenario name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return await engine.DeleteScenarioAsync(name, cancellationToken) ? TypedResults.NoContent() : UnknownScenario(name);
    }

    private static IResult UnknownScenario(string name) => Problems.NotFound($"unknown scenario '{name}'.");
}
