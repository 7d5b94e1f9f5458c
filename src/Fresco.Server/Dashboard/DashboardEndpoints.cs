using Fresco.Engine;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Dashboard;

/// <summary>
/// The JSON the operator's dashboard reads besides the public API: the overview (the engine's status with the serving
/// model's metrics and the last training runs) and the JSON Lines export and import of users, items and feedback.
/// Authorised like the rest of <c>/api</c>. Thread-safe (stateless handlers).
/// </summary>
internal static class DashboardEndpoints
{
    public static void MapDashboardApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/dashboard");
        group.MapGet("/overview", Overview)
            .WithSummary("The dashboard's overview: counts, serving model and its metrics, last training runs, cache, queue, "
                + "recommend latency (cumulative histogram), cluster nodes (null on a single node).")
            .Produces<OverviewContract>();
        group.MapGet("/export/{kind}", DataTransfer.ExportAsync)
            .WithSummary("Export users, items or feedback (kind) as JSON Lines, one contract per line, streamed.")
            .Produces(StatusCodes.Status200OK, contentType: DataTransfer.JsonLines).ProducesProblem(404);
        group.MapPost("/import/{kind}", DataTransfer.ImportAsync)
            .WithSummary("Import users, items or feedback (kind) from a JSON Lines body of any size, written in batches of "
                + "Server:MaxBatch; a bad line answers 400 naming it, after the rows before it were written.")
            .WithMetadata(new UnlimitedBody())
            .Accepts<string>(DataTransfer.JsonLines).Produces<WriteResult>().ProducesProblem(400).ProducesProblem(404);
    }

    private static async Task<IResult> Overview(IFrescoEngine engine, CancellationToken cancellationToken)
    {
        var status = engine.GetStatus();
        IReadOnlyDictionary<string, double>? metrics = null;
        if (status.ServingVersion is { } serving)
        {
            var versions = await engine.ListModelsAsync(cancellationToken);
            metrics = versions.FirstOrDefault(v => v.Version == serving)?.Metrics;
        }
        var training = status.Training;
        IReadOnlyList<string>? nodes = null;
        if (status.Cluster is not null)
        {
            var cluster = await engine.GetClusterAsync(cancellationToken);
            nodes = [.. cluster.Nodes.Select(n => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{n.Node} ({n.Role}{(n.Trainer ? ", trainer" : "")}, {(n.Ready ? "ready" : "not ready")}, serving {n.ServingVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {n.Url})"))];
        }
        var runs = training.Recent.Select(r => new TrainingRunContract(ContractMapper.Format(r.FinishedAt), ContractMapper.ToContract(r.Report)))
            .ToArray();
        return TypedResults.Json(new OverviewContract(status.Ready, status.Users, status.Items, status.Events, status.ServingVersion,
            status.ServingKind, metrics, training.RunningSince is { } since ? ContractMapper.Format(since) : null, training.EventsSinceTraining,
            runs, status.CacheHits, status.CacheMisses, status.QueueDepth, status.RecommendLatency, nodes, status.Impressions),
            FrescoJson.Default.OverviewContract);
    }
}
