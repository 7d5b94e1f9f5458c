using Fresco.Engine;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Fresco's model endpoints: list stored versions and the serving one, train now (answers once the candidate was
/// promoted or rejected), roll back to the previous version. Thread-safe (stateless handlers; the engine serializes training).
/// </summary>
internal static class ModelEndpoints
{
    public static void MapModels(this RouteGroupBuilder api)
    {
        api.MapGet("/models", List).WithSummary("Stored model versions (newest first) with their quality, the one being served, and the last run's model search.")
            .Produces<ModelsContract>();
        api.MapPost("/models/train", Train)
            .WithSummary("Train a candidate now on all data, evaluate it on a hold-out, promote or reject it; answers the outcome.")
            .Produces<TrainingContract>().ProducesProblem(409);
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

    private static async Task<IResult> Train(IFrescoEngine engine, CancellationToken cancellationToken)
    {
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
