using Fresco.Engine;
using Fresco.Engine.Experiments;
using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Fresco's experiment endpoints: put (validated before it is stored; a bad field is a 400 problem whose <c>field</c>
/// names it), get, list, delete, and the results. Personal recommendations under a scenario with a running experiment
/// are answered as the user's variant says (<see cref="RecommendEndpoints"/>). Thread-safe (stateless handlers, shared with scenarios through
/// <see cref="DefinitionEndpoints{TDefinition, TStored}"/>; the engine serializes experiment writes).
/// </summary>
internal static class ExperimentEndpoints
{
    private static readonly DefinitionEndpoints<Experiment, ExperimentInfo> s_handlers = new("experiment", "stored",
        FrescoJson.Default.Experiment, FrescoJson.Default.ExperimentInfo, FrescoJson.Default.ExperimentInfoArray);

    public static void MapExperiments(this RouteGroupBuilder api)
    {
        api.MapPut("/experiments/{name}", (string name, HttpContext context, IFrescoEngine engine) =>
                s_handlers.PutAsync(name, context, engine.PutExperimentAsync))
            .WithSummary("Store (create or replace) an A/B experiment on a scenario; answers it with its status.")
            .Accepts<Experiment>("application/json").Produces<ExperimentInfo>().ProducesProblem(400);
        api.MapGet("/experiments/{name}", (string name, IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.GetAsync(name, engine.GetExperimentAsync, cancellationToken))
            .WithSummary("An experiment and its status (scheduled, running, ended).").Produces<ExperimentInfo>().ProducesProblem(404);
        api.MapGet("/experiments", (IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.ListAsync(engine.ListExperimentsAsync, cancellationToken))
            .WithSummary("Every experiment, by name.").Produces<ExperimentInfo[]>();
        api.MapDelete("/experiments/{name}", (string name, IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.DeleteAsync(name, engine.DeleteExperimentAsync, cancellationToken))
            .WithSummary("Delete an experiment; its scenario answers as the scenario says from then on.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
        api.MapGet("/experiments/{name}/results", (string name, IFrescoEngine engine, CancellationToken cancellationToken) =>
                s_handlers.ReadAsync(name, engine.GetExperimentResultsAsync, FrescoJson.Default.ExperimentResults, cancellationToken))
            .WithSummary("An experiment's results per variant (attributed counts, rates, difference from control with a 95% interval and "
                + "p-value) and its sample-ratio check.")
            .Produces<ExperimentResults>().ProducesProblem(404);
    }
}
