using Fresco.Engine;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Fresco's model endpoints: list stored versions and the serving one, train now (answers once the candidate was
/// promoted or rejected, or at once with wait=false; the run never depends on the request), roll back to the previous version. Thread-safe (stateless handlers; the engine serializes training).
/// </summary>
internal static class ModelEndpoints
{
    public static void MapModels(this RouteGroupBuilder api)
    {
        api.MapGet("/models", List).WithSummary("Stored model versions (newest first) with their quality, the one being served, and the last run's model search.")
            .Produces<ModelsContract>();
        api.MapPost("/models/train", Train)
            .WithSummary("Train a candidate now on all data, evaluate it on a hold-out, promote or reject it; answers the outcome "
                + "(wait=false: 202 at once, poll GET /api/models). The run goes on if the caller goes away.")
            .Produces<TrainingContract>().Produces<TrainingStartedContract>(202).ProducesProblem(409);
        api.MapPost("/models/rollback", Rollback).WithSummary("Serve the previous non-rejected model version again.")
            .Produces<OutcomeContract>().ProducesProblem(409);
    }

    private static async Task<IResult> List(IFrescoEngine engine, CancellationToken cancellationToken)
    {
        var versions = await engine.ListModelsAsync(cancellationToken);
        var status = engine.GetStatus();
        return TypedResults.Json(new ModelsContract(status.ServingVersion, status.ServingKind, versions,
            SearchContract.From(status.Training.Last)), FrescoJson.Default.ModelsContract);
    }

    // The run goes on when the caller goes away (a proxy's timeout, a closed connection): the request's token only
    // stops the wait. With wait=false it answers 202 at once; the caller polls GET /api/models for the new version.
    private static async Task<IResult> Train(IFrescoEngine engine, bool? wait, HttpResponse response, CancellationToken cancellationToken)
    {
        if (wait == false)
        {
            var newest = (await engine.ListModelsAsync(cancellationToken)).Select(v => v.Version).DefaultIfEmpty(0).Max();
            _ = engine.StartTraining();
            response.Headers.Location = "/api/models";
            return TypedResults.Json(new TrainingStartedContract(newest), FrescoJson.Default.TrainingStartedContract,
                statusCode: StatusCodes.Status202Accepted);
        }
        try
        {
            var report = await engine.TrainNowAsync(cancellationToken);
            return TypedResults.Json(ContractMapper.ToContract(report), FrescoJson.Default.TrainingContract);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Conflict($"training could not run: {e.Message}");
        }
    }

    private static async Task<IResult> Rollback(IFrescoEngine engine, CancellationToken cancellationToken)
    {
        var outcome = await engine.RollbackAsync(cancellationToken);
        return outcome.Promoted
            ? TypedResults.Json(new OutcomeContract(outcome.Promoted, outcome.Version, outcome.Reason), FrescoJson.Default.OutcomeContract)
            : Problems.Conflict(outcome.Reason);
    }
}
