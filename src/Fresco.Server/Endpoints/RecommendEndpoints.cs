using Fresco.Engine;
using Fresco.Engine.Impressions;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Gorse's recommendation endpoints (personal, session, neighbours, popular, latest, named lists) plus Fresco's
/// <c>exclude</c> and <c>explain</c>. Personal recommendations answer a list of ids unless <c>X-API-Version: 2</c> or
/// <c>explain=true</c> asks for the scored form; every other list is scored, as in Gorse. A personal request under a
/// scenario with a running experiment is answered as the user's variant says and names it in
/// <see cref="ExperimentHeader"/> (<c>{experiment}/{variant}</c>). Every list of items is recorded as an impression
/// (<see cref="IFrescoEngine.RecordImpression"/>, with the experiment and variant when assigned) and carries its
/// recommendation id: the header <c>X-Recommendation-Id</c> and, in the scored form, <c>RecommId</c> per entry.
/// Thread-safe (stateless handlers).
/// </summary>
internal static class RecommendEndpoints
{
    public const string ExperimentHeader = "X-Experiment-Variant";

    private const string ListQuery = " Query: n, offset, category, exclude (comma-separated or repeated), explain.";

    public static void MapRecommend(this RouteGroupBuilder api)
    {
        api.MapGet("/recommend/{user}", (string user, HttpContext c, IFrescoEngine e, FrescoSettings s) => Personal(user, null, c, e, s))
            .WithSummary("Personal recommendations for a user, best first: ids, or [{Id, Score}] with X-API-Version: 2." + ListQuery)
            .Produces<string[]>().Produces<ScoreContract[]>().ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/recommend/{user}/{category}",
                (string user, string category, HttpContext c, IFrescoEngine e, FrescoSettings s) => Personal(user, category, c, e, s))
            .WithSummary("Personal recommendations for a user within a category (Gorse's older form)." + ListQuery)
            .Produces<string[]>().Produces<ScoreContract[]>().ProducesProblem(400).ProducesProblem(404);
        api.MapPost("/session/recommend", (HttpContext c, IFrescoEngine e, FrescoSettings s, TimeProvider t) => Session(null, c, e, s, t))
            .WithSummary("Recommendations for an anonymous session given as its feedback (body)." + ListQuery)
            .Accepts<FeedbackContract[]>("application/json").Produces<ScoreContract[]>().ProducesProblem(400);
        api.MapPost("/session/recommend/{category}",
                (string category, HttpContext c, IFrescoEngine e, FrescoSettings s, TimeProvider t) => Session(category, c, e, s, t))
            .WithSummary("Recommendations within a category for an anonymous session given as its feedback (body)." + ListQuery)
            .Accepts<FeedbackContract[]>("application/json").Produces<ScoreContract[]>().ProducesProblem(400);
        api.MapGet("/item/{id}/neighbors", (string id, HttpContext c, IFrescoEngine e, FrescoSettings s) => ItemNeighbors(id, null, c, e, s))
            .WithSummary("Items similar to an item." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(404);
        api.MapGet("/item/{id}/neighbors/{category}",
                (string id, string category, HttpContext c, IFrescoEngine e, FrescoSettings s) => ItemNeighbors(id, category, c, e, s))
            .WithSummary("Items of a category similar to an item." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(404);
        api.MapGet("/user/{id}/neighbors", (string id, HttpContext c, IFrescoEngine e, FrescoSettings s) => UserNeighbors(id, c, e, s))
            .WithSummary("Users similar to a user." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(404);
        api.MapGet("/popular", (HttpContext c, IFrescoEngine e, FrescoSettings s) => Named("popular", null, c, e, s))
            .WithSummary("Popular items." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(400);
        api.MapGet("/popular/{category}", (string category, HttpContext c, IFrescoEngine e, FrescoSettings s) => Named("popular", category, c, e, s))
            .WithSummary("Popular items of a category." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(400);
        api.MapGet("/latest", (HttpContext c, IFrescoEngine e, FrescoSettings s) => Named("latest", null, c, e, s))
            .WithSummary("The newest items." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(400);
        api.MapGet("/latest/{category}", (string category, HttpContext c, IFrescoEngine e, FrescoSettings s) => Named("latest", category, c, e, s))
            .WithSummary("The newest items of a category." + ListQuery).Produces<ScoreContract[]>().ProducesProblem(400);
        api.MapGet("/non-personalized/{name}", (string name, HttpContext c, IFrescoEngine e, FrescoSettings s) => Named(name, null, c, e, s))
            .WithSummary("A named non-personalised list (popular, latest, trending)." + ListQuery)
            .Produces<ScoreContract[]>().ProducesProblem(404);
        api.MapGet("/item-to-item/{name}/{item}",
                (string name, string item, HttpContext c, IFrescoEngine e, FrescoSettings s) => ItemToItem(name, item, c, e, s))
            .WithSummary("A named item-to-item list for an item (similar, bought-together)." + ListQuery)
            .Produces<ScoreContract[]>().ProducesProblem(404);
    }

    private static IResult Personal(string user, string? category, HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (ContractMapper.Id(user, "user id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        if (QueryParser.TryList(context, settings.Engine.Recommend.MaxN, category, alwaysScored: false, out var request) is { } badQuery)
        {
            return badQuery;
        }
        var query = request.Query;
        var assignment = query.Scenario is { } scenario ? engine.AssignExperiment(scenario, user) : null;
        if (assignment is not null)
        {
            query = query with { Scenario = assignment.Scenario, Model = assignment.Model ?? query.Model };
        }
        var list = engine.Recommend(user, query);
        if (list is null)
        {
            return Problems.UnknownUser(user);
        }
        if (assignment is not null)
        {
            context.Response.Headers[ExperimentHeader] = assignment.Header;
        }
        var recommId = engine.RecordImpression(new ImpressionRequest(user, query.Scenario, list)
        {
            Experiment = assignment?.Experiment,
            Variant = assignment?.Variant,
        });
        return new ScoredListResult(list, request.Scored, request.Explain, recommId);
    }

    private static async Task<IResult> Session(string? category, HttpContext context, IFrescoEngine engine, FrescoSettings settings, TimeProvider time)
    {
        if (QueryParser.TryList(context, settings.Engine.Recommend.MaxN, category, alwaysScored: true, out var request) is { } badQuery)
        {
            return badQuery;
        }
        var (session, invalid) = await FeedbackEndpoints.ReadBatchAsync(context, settings, time, session: true);
        return invalid ?? Shown(engine, null, request, engine.RecommendSession(session, request.Query), scored: true);
    }

    private static IResult ItemNeighbors(string id, string? category, HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (ContractMapper.Id(id, "item id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        if (QueryParser.TryList(context, settings.Engine.Recommend.MaxN, category, alwaysScored: true, out var request) is { } badQuery)
        {
            return badQuery;
        }
        var list = engine.ItemNeighbors(id, request.Query);
        return list is null ? Problems.UnknownItem(id) : Shown(engine, null, request, list, scored: true);
    }

    private static IResult UserNeighbors(string id, HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (ContractMapper.Id(id, "user id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        if (QueryParser.TryList(context, settings.Engine.Recommend.MaxN, null, alwaysScored: true, out var request) is { } badQuery)
        {
            return badQuery;
        }
        var list = engine.UserNeighbors(id, request.Query);
        return list is null ? Problems.UnknownUser(id) : new ScoredListResult(list, scored: true, request.Explain);
    }

    private static IResult Named(string name, string? category, HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (QueryParser.TryList(context, settings.Engine.Recommend.MaxN, category, alwaysScored: true, out var request) is { } badQuery)
        {
            return badQuery;
        }
        var list = engine.NonPersonalized(name, request.Query);
        return list is null
            ? Problems.NotFound($"unknown non-personalized list '{name}'.")
            : Shown(engine, null, request, list, scored: true);
    }

    private static IResult ItemToItem(string name, string item, HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (ContractMapper.Id(item, "item id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        if (QueryParser.TryList(context, settings.Engine.Recommend.MaxN, null, alwaysScored: true, out var request) is { } badQuery)
        {
            return badQuery;
        }
        var list = engine.ItemToItem(name, item, request.Query);
        return list is null
            ? Problems.NotFound($"unknown item-to-item list '{name}' or unknown item '{item}'.")
            : Shown(engine, null, request, list, scored: true);
    }

    /// <summary>Records the answer as an impression (for <paramref name="user"/>, or anonymous) and writes it with its recommendation id.</summary>
    private static ScoredListResult Shown(IFrescoEngine engine, string? user, ListRequest request, IReadOnlyList<ScoredId> list, bool scored)
    {
        var recommId = engine.RecordImpression(new ImpressionRequest(user, request.Query.Scenario, list));
        return new ScoredListResult(list, scored, request.Explain, recommId);
    }
}
