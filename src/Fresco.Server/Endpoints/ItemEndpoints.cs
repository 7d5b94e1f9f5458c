using Fresco.Engine;
using Fresco.Engine.Storage;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fresco.Server.Endpoints;

/// <summary>Gorse's item endpoints: insert one or many, get, patch, delete, list, add or remove a category. Thread-safe (stateless handlers).</summary>
internal static class ItemEndpoints
{
    public static void MapItems(this RouteGroupBuilder api)
    {
        api.MapPost("/item", InsertOne).WithSummary("Insert an item (replaces an existing one with the same id).")
            .Accepts<ItemContract>("application/json").Produces<WriteResult>().ProducesProblem(400);
        api.MapPost("/items", InsertMany).WithSummary("Insert items, all or none.")
            .Accepts<ItemContract[]>("application/json").Produces<WriteResult>().ProducesProblem(400).ProducesProblem(413);
        api.MapGet("/item/{id}", Get).WithSummary("Get an item.").Produces<ItemContract>().ProducesProblem(404);
        api.MapPatch("/item/{id}", Patch).WithSummary("Update an item's hidden flag, categories, labels, comment and/or timestamp.")
            .Accepts<ItemPatchContract>("application/json").Produces<WriteResult>().ProducesProblem(400).ProducesProblem(404);
        api.MapDelete("/item/{id}", Delete).WithSummary("Delete an item and its feedback.").Produces<WriteResult>().ProducesProblem(404);
        api.MapGet("/items", List).WithSummary("List items by id, n per page (query: n, cursor).")
            .Produces<ItemPage>().ProducesProblem(400);
        api.MapPut("/item/{id}/category/{category}", AddCategory).WithSummary("Add a category to an item.")
            .Produces<WriteResult>().ProducesProblem(404);
        api.MapDelete("/item/{id}/category/{category}", RemoveCategory).WithSummary("Remove a category from an item.")
            .Produces<WriteResult>().ProducesProblem(404);
    }

    private static async Task<IResult> InsertOne(HttpContext context, IFrescoEngine engine)
    {
        var (body, error) = await JsonBody.ReadAsync(context, FrescoJson.Default.ItemContract);
        if (error is not null)
        {
            return error;
        }
        if (ContractMapper.TryToItem(body, "item", out var item) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return WriteResults.Rows(await engine.InsertItemsAsync([item], context.RequestAborted));
    }

    private static async Task<IResult> InsertMany(HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        var (items, invalid) = await Batch.ReadAsync<ItemContract, Item>(
            context, FrescoJson.Default.ItemContract, FrescoJson.Default.ItemContractArray, "items", settings, ContractMapper.TryToItem);
        if (invalid is not null)
        {
            return invalid;
        }
        return WriteResults.Rows(await engine.InsertItemsAsync(items, context.RequestAborted));
    }

    private static async Task<IResult> Get(string id, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(id, "item id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var item = await engine.GetItemAsync(id, cancellationToken);
        return item is null ? Problems.UnknownItem(id) : TypedResults.Json(ContractMapper.ToContract(item), FrescoJson.Default.ItemContract);
    }

    private static async Task<IResult> Patch(string id, HttpContext context, IFrescoEngine engine)
    {
        if (ContractMapper.Id(id, "item id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        var (body, error) = await JsonBody.ReadAsync(context, FrescoJson.Default.ItemPatchContract);
        if (error is not null)
        {
            return error;
        }
        if (ContractMapper.TryToPatch(body!, out var patch) is { } badPatch)
        {
            return Problems.BadRequest(badPatch);
        }
        return await engine.PatchItemAsync(id, patch, context.RequestAborted) ? WriteResults.Rows(1) : Problems.UnknownItem(id);
    }

    private static async Task<IResult> Delete(string id, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if (ContractMapper.Id(id, "item id") is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return await engine.DeleteItemAsync(id, cancellationToken) ? WriteResults.Rows(1) : Problems.UnknownItem(id);
    }

    private static async Task<IResult> List(HttpContext context, IFrescoEngine engine, FrescoSettings settings)
    {
        if (QueryParser.TryPage(context, settings.Server.MaxBatch, out var cursor, out var n) is { } invalid)
        {
            return invalid;
        }
        var page = await engine.ListItemsAsync(cursor, n, context.RequestAborted);
        var items = new ItemContract[page.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ContractMapper.ToContract(page.Items[i]);
        }
        return TypedResults.Json(new ItemPage(page.Cursor, items), FrescoJson.Default.ItemPage);
    }

    private static async Task<IResult> AddCategory(string id, string category, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if ((ContractMapper.Id(id, "item id") ?? ContractMapper.Id(category, "category")) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return await engine.AddItemCategoryAsync(id, category, cancellationToken) ? WriteResults.Rows(1) : Problems.UnknownItem(id);
    }

    private static async Task<IResult> RemoveCategory(string id, string category, IFrescoEngine engine, CancellationToken cancellationToken)
    {
        if ((ContractMapper.Id(id, "item id") ?? ContractMapper.Id(category, "category")) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        return await engine.RemoveItemCategoryAsync(id, category, cancellationToken) ? WriteResults.Rows(1) : Problems.UnknownItem(id);
    }

}
