using Fresco.Engine;
using Fresco.Engine.Experiments;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Fresco's experiment endpoints: put (validated before it is stored; a bad field is a 400 problem whose <c>field</c>
/// names it), get, list, delete, and the results. Personal recommendations under a scenario with a running experiment
/// are answered as the user's variant says (<see cref="RecommendEndpoints"/>). Thread-safe (stateless handlers; the
/// engine serializes experiment writes).
/// </summary>
internal static class ExperimentEndpoints
{
    public static void MapExperiments(this RouteGroupBuilder api)
    {
        api.MapPut("/experiments/{name}", Put)
            .WithSummary("Store (create or replace) an A/B experiment on a scenario; answers it with its status.")
            .Accepts<Experiment>("application/json").Produces<ExperimentInfo>().ProducesProblem(400);
        api.MapGet("/experiments/{name}", Get).WithSummary("An experiment and its status (scheduled, running, ended).")
            .Produces<ExperimentInfo>().ProducesProblem(404);
        api.MapGet("/experiments", List).WithSummary("Every experiment, by name.").Produces<ExperimentInfo[]>();
        api.MapDelete("/experiments/{name}", Delete).WithSummary("Delete an experiment; its scenario answers as the scenario says from then on.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
        api.MapGet("/experiments/{name}/results", Results)
            .WithSummary("An experiment's results per variant (attributed counts, rates, difference from control with a 95% interval and "
                + "p-value) and its sample-ratio check.")
            .Produces<ExperimentResults>().ProducesProblem(404);
    }

    private static async Task<IResult> Put(string name, HttpContext context, IFrescoEngine engine)
    {
        if (ContractMapper.Id(name, "experiment name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var (experiment, error) = await JsonBody.ReadAsync(context, FrescoJson.Default.Experiment);
        if (error is not null)
        {
            return error;
        }
        try
        {
            return TypedResults.Json(await engine.PutExperimentAsync(name, experiment!, context.RequestAborted), FrescoJson.Default.ExperimentInfo);
        }
        catch (ExperimentException e)
        {
            return Problems.BadExperiment(e);
        }
    }

    private static async Task<IResult> Get(string name, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(name, "experiment name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var experiment = await engine.GetExperimentAsync(name, cancellationToken);
        return experiment is null ? UnknownExperiment(name) : TypedResults.Json(experiment, FrescoJson.Default.ExperimentInfo);
    }

    private static async Task<IResult> List(IFrescoEngine engine, CancellationToken cancellationToken) =>
        TypedResults.Json([.. await engine.ListExperimentsAsync(cancellationToken)], FrescoJson.Default.ExperimentInfoArray);

    private static async Task<IResult> Delete(string name, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(name, "experiment name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return await engine.DeleteExperimentAsync(name, cancellationToken) ? TypedResults.NoContent() : UnknownExperiment(name);
    }

    private static async Task<IResult> Results(string name, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(name, "experiment name") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var results = await engine.GetExperimentResultsAsync(name, cancellationToken);
        return results is null ? UnknownExperiment(name) : TypedResults.Json(results, FrescoJson.Default.ExperimentResults);
    }

    private static IResult UnknownExperiment(string name) => Problems.NotFound($"unknown experiment '{name}'.");
}
