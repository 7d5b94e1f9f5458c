using Fresco.Engine;
using Fresco.Engine.Storage;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>Gorse's user endpoints: insert one or many, get, patch, delete, list. Thread-safe (stateless handlers).</summary>
internal static class UserEndpoints
{
    public static void MapUsers(this RouteGroupBuilder api)
    {
        api.MapPost("/user", InsertOne).WithSummary("Insert a user (replaces an existing one with the same id).")
            .Accepts<UserContract>("application/json").Produces<WriteResult>().ProducesProblem(400);
        api.MapPost("/users", InsertMany).WithSummary("Insert users, all or none.")
            .Accepts<UserContract[]>("application/json").Produces<WriteResult>().ProducesProblem(400).ProducesProblem(413);
        api.MapGet("/user/{id}", Get).WithSummary("Get a user.").Produces<UserContract>().ProducesProblem(404);
        api.MapPatch("/user/{id}", Patch).WithSummary("Update a user's labels and/or comment.")
            .Accepts<UserPatchContract>("application/json").Produces<WriteResult>().ProducesProblem(400).ProducesProblem(404);
        api.MapDelete("/user/{id}", Delete).WithSummary("Delete a user and its feedback.").Produces<WriteResult>().ProducesProblem(404);
        api.MapGet("/users", List).WithSummary("List users by id, n per page (query: n, cursor).")
            .Produces<UserPage>().ProducesProblem(400);
    }

    private static async Task<IResult> InsertOne(HttpContext context, IFrescoEngine engine)
    {
        var (body, error) = await JsonBody.ReadAsync(context, FrescoJson.Default.UserContract);
        if (error is not null)
        {
            return error;
        }
        if (ContractMapper.TryToUser(body, "user", out var user) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return WriteResults.Rows(await engine.InsertUsersAsync([user], context.RequestAborted));
    }

    private static async Task<IResult> InsertMany(HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        var (users, invalid) = await Batch.ReadAsync<UserContract, User>(
            context, FrescoJson.Default.UserContract, FrescoJson.Default.UserContractArray, "users", settings, ContractMapper.TryToUser);
        if (invalid is not null)
        {
            return invalid;
        }
        return WriteResults.Rows(await engine.InsertUsersAsync(users, context.RequestAborted));
    }

    private static async Task<IResult> Get(string id, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(id, "user id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var user = await engine.GetUserAsync(id, cancellationToken);
        return user is null ? Problems.UnknownUser(id) : TypedResults.Json(ContractMapper.ToContract(user), FrescoJson.Default.UserContract);
    }

    private static async Task<IResult> Patch(string id, HttpContext context, IFrescoEngine engine)
    {
        if (ContractMapper.Id(id, "user id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var (body, error) = await JsonBody.ReadAsync(context, FrescoJson.Default.UserPatchContract);
        if (error is not null)
        {
            return error;
        }
        var found = await engine.PatchUserAsync(id, new UserPatch(body!.Labels, body.Comment), context.RequestAborted);
        return found ? WriteResults.Rows(1) : Problems.UnknownUser(id);
    }

    private static async Task<IResult> Delete(string id, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(id, "user id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return await engine.DeleteUserAsync(id, cancellationToken)
            ? WriteResults.Rows(1)
            : Problems.UnknownUser(id);
    }

    private static async Task<IResult> List(HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (QueryParser.TryPage(context, settings.Server.MaxBatch, out var cursor, out var n) is { } invalid)
        {
            return invalid;
        }
        var page = await engine.ListUsersAsync(cursor, n, context.RequestAborted);
        var users = new UserContract[page.Items.Count];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = ContractMapper.ToContract(page.Items[i]);
        }
        return TypedResults.Json(new UserPage(page.Cursor, users), FrescoJson.Default.UserPage);
    }
}
