using Fresco.Engine;
using Fresco.Engine.Storage;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Gorse's feedback endpoints: insert (POST; auto-creates users and items) and overwrite (PUT) a batch, list all or
/// one type, read and delete between a user and an item, read a user's or an item's. Thread-safe (stateless handlers).
/// </summary>
internal static class FeedbackEndpoints
{
    public static void MapFeedback(this RouteGroupBuilder api)
    {
        api.MapPost("/feedback", (HttpContext c, IFrescoEngine e, FrescoSettings s, TimeProvider t) => Write(c, e, s, t, overwrite: false))
            .WithSummary("Insert feedback, all or none; existing (type, user, item) rows are kept. Unknown users and items are created.")
            .Accepts<FeedbackContract[]>("application/json").Produces<WriteResult>().ProducesProblem(400).ProducesProblem(413);
        api.MapPut("/feedback", (HttpContext c, IFrescoEngine e, FrescoSettings s, TimeProvider t) => Write(c, e, s, t, overwrite: true))
            .WithSummary("Insert or overwrite feedback, all or none. Unknown users and items are created.")
            .Accepts<FeedbackContract[]>("application/json").Produces<WriteResult>().ProducesProblem(400).ProducesProblem(413);
        api.MapGet("/feedback", (HttpContext c, IFrescoEngine e, FrescoSettings s) => List(c, e, s, null))
            .WithSummary("List feedback in insertion order, n per page (query: n, cursor).").Produces<FeedbackPage>().ProducesProblem(400);
        api.MapGet("/feedback/{type}", (string type, HttpContext c, IFrescoEngine e, FrescoSettings s) => List(c, e, s, type))
            .WithSummary("List feedback of one type in insertion order, n per page (query: n, cursor).")
            .Produces<FeedbackPage>().ProducesProblem(400);
        api.MapGet("/feedback/{user}/{item}", (string user, string item, IFrescoEngine e, CancellationToken ct) => Between(e, user, item, null, ct))
            .WithSummary("Feedback between a user and an item.").Produces<FeedbackContract[]>().ProducesProblem(404);
        api.MapDelete("/feedback/{user}/{item}", (string user, string item, IFrescoEngine e, CancellationToken ct) => Delete(e, user, item, null, ct))
            .WithSummary("Delete feedback between a user and an item.").Produces<WriteResult>().ProducesProblem(400);
        api.MapGet("/feedback/{type}/{user}/{item}",
                (string type, string user, string item, IFrescoEngine e, CancellationToken ct) => Between(e, user, item, type, ct))
            .WithSummary("Feedback of one type between a user and an item.").Produces<FeedbackContract[]>().ProducesProblem(404);
        api.MapDelete("/feedback/{type}/{user}/{item}",
                (string type, string user, string item, IFrescoEngine e, CancellationToken ct) => Delete(e, user, item, type, ct))
            .WithSummary("Delete feedback of one type between a user and an item.").Produces<WriteResult>().ProducesProblem(400);
        api.MapGet("/user/{id}/feedback", (string id, IFrescoEngine e, CancellationToken ct) => OfUser(e, id, null, ct))
            .WithSummary("A user's feedback, in insertion order.").Produces<FeedbackContract[]>().ProducesProblem(404);
        api.MapGet("/user/{id}/feedback/{type}", (string id, string type, IFrescoEngine e, CancellationToken ct) => OfUser(e, id, type, ct))
            .WithSummary("A user's feedback of one type, in insertion order.").Produces<FeedbackContract[]>().ProducesProblem(404);
        api.MapGet("/item/{id}/feedback", (string id, IFrescoEngine e, CancellationToken ct) => OfItem(e, id, null, ct))
            .WithSummary("An item's feedback, in insertion order.").Produces<FeedbackContract[]>().ProducesProblem(404);
        api.MapGet("/item/{id}/feedback/{type}", (string id, string type, IFrescoEngine e, CancellationToken ct) => OfItem(e, id, type, ct))
            .WithSummary("An item's feedback of one type, in insertion order.").Produces<FeedbackContract[]>().ProducesProblem(404);
    }

    private static async Task<IResult> Write(HttpContext context, IFrescoEngine engine, FrescoSettings settings, TimeProvider time, bool overwrite)
    {
        var (batch, invalid) = await ReadBatchAsync(context, settings, time, session: false);
        return invalid ?? WriteResults.Rows(await engine.InsertFeedbackAsync(batch, overwrite, context.RequestAborted));
    }

    private static async Task<IResult> List(HttpContext context, IFrescoEngine engine, FrescoSettings settings, string? type)
    {
        if (type is not null && ContractMapper.Id(type, "feedback type") is { } badType)
        {
            return Problems.BadRequest(badType);
        }
        if (QueryParser.TryPage(context, settings.Server.MaxBatch, out var cursor, out var n) is { } invalid)
        {
            return invalid;
        }
        var page = await engine.ListFeedbackAsync(cursor, n, type, context.RequestAborted);
        return TypedResults.Json(new FeedbackPage(page.Cursor, ContractMapper.ToContracts(page.Items)), FrescoJson.Default.FeedbackPage);
    }

    private static async Task<IResult> Between(IFrescoEngine engine, string user, string item, string? type, CancellationToken ct)
    {
        if (Check(user, item, type) is { } invalid)
        {
            return invalid;
        }
        if (await engine.GetUserAsync(user, ct) is null)
        {
            return Problems.UnknownUser(user);
        }
        if (await engine.GetItemAsync(item, ct) is null)
        {
            return Problems.UnknownItem(item);
        }
        return List(await engine.GetUserItemFeedbackAsync(user, item, type, ct));
    }

    private static async Task<IResult> Delete(IFrescoEngine engine, string user, string item, string? type, CancellationToken ct) =>
        Check(user, item, type) ?? WriteResults.Rows(await engine.DeleteFeedbackAsync(user, item, type, ct));

    private static async Task<IResult> OfUser(IFrescoEngine engine, string id, string? type, CancellationToken ct)
    {
        if ((ContractMapper.Id(id, "user id") ?? (type is null ? null : ContractMapper.Id(type, "feedback type"))) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var rows = await engine.GetUserFeedbackAsync(id, type, ct);
        return rows is null ? Problems.UnknownUser(id) : List(rows);
    }

    private static async Task<IResult> OfItem(IFrescoEngine engine, string id, string? type, CancellationToken ct)
    {
        if ((ContractMapper.Id(id, "item id") ?? (type is null ? null : ContractMapper.Id(type, "feedback type"))) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var rows = await engine.GetItemFeedbackAsync(id, type, ct);
        return rows is null ? Problems.UnknownItem(id) : List(rows);
    }

    private static IResult? Check(string user, string item, string? type)
    {
        var error = ContractMapper.Id(user, "user id") ?? ContractMapper.Id(item, "item id")
            ?? (type is null ? null : ContractMapper.Id(type, "feedback type"));
        return error is null ? null : Problems.BadRequest(error);
    }

    private static IResult List(IReadOnlyList<Feedback> rows) =>
        TypedResults.Json(ContractMapper.ToContracts(rows), FrescoJson.Default.FeedbackContractArray);


    /// <summary>
    /// Reads and validates a JSON array of feedback (all rows or none): a session's (<paramref name="session"/>: user
    /// and timestamp optional) or a write's. Returns the rows, or the problem to answer.
    /// </summary>
    internal static async Task<(Feedback[] Batch, IResult? Problem)> ReadBatchAsync(
        HttpContext context, FrescoSettings settings, TimeProvider time, bool session)
    {
        var now = time.GetUtcNow();
        return await Batch.ReadAsync<FeedbackContract, Feedback>(
            context, FrescoJson.Default.FeedbackContract, FrescoJson.Default.FeedbackContractArray, "feedback", settings,
            (FeedbackContract? c, string at, out Feedback f) => session
                ? ContractMapper.TryToSessionFeedback(c, at, now, out f)
                : ContractMapper.TryToFeedback(c, at, now, out f));
    }
}
