using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fresco.Client;

/// <summary>
/// Typed client of a Fresco server: Gorse's users, items, feedback and recommendation endpoints plus Fresco's models,
/// health and dashboard endpoints. Every call takes a cancellation token; an error answer throws
/// <see cref="FrescoApiException"/> with the problem's detail; lookups of an unknown user or item answer null. Build it
/// with <see cref="FrescoClientServiceCollectionExtensions.AddFrescoClient"/> (retries on transient failures) or on
/// any <see cref="HttpClient"/> whose base address is the server and which sends the API key. Thread-safe, as
/// <see cref="HttpClient"/> is.
/// </summary>
public sealed class FrescoClient(HttpClient http)
{
    /// <summary>The header the API key travels in.</summary>
    public const string ApiKeyHeader = "X-API-Key";

    private static readonly ClientJson s_json = ClientJson.Default;

    public HttpClient Http { get; } = http;

    // ---- users ----

    public Task<WriteResult> InsertUserAsync(FrescoUser user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/user", user, s_json.FrescoUser, s_json.WriteResult, cancellationToken);

    public Task<WriteResult> InsertUsersAsync(IReadOnlyList<FrescoUser> users, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/users", users.ToArray(), s_json.FrescoUserArray, s_json.WriteResult, cancellationToken);

    public Task<FrescoUser?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"api/user/{Escape(userId)}", s_json.FrescoUser, cancellationToken);

    public Task<WriteResult> PatchUserAsync(string userId, FrescoUserPatch patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"api/user/{Escape(userId)}", patch, s_json.FrescoUserPatch, s_json.WriteResult, cancellationToken);

    public Task<WriteResult> DeleteUserAsync(string userId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/user/{Escape(userId)}", s_json.WriteResult, cancellationToken);

    /// <summary>Up to <paramref name="n"/> users by id after <paramref name="cursor"/>; an empty cursor in the answer ends the listing.</summary>
    public Task<UserPage> ListUsersAsync(int n = 100, string cursor = "", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/users?n={n}&cursor={Escape(cursor)}", s_json.UserPage, cancellationToken);

    // ---- items ----

    public Task<WriteResult> InsertItemAsync(FrescoItem item, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/item", item, s_json.FrescoItem, s_json.WriteResult, cancellationToken);

    public Task<WriteResult> InsertItemsAsync(IReadOnlyList<FrescoItem> items, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/items", items.ToArray(), s_json.FrescoItemArray, s_json.WriteResult, cancellationToken);

    public Task<FrescoItem?> GetItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"api/item/{Escape(itemId)}", s_json.FrescoItem, cancellationToken);

    public Task<WriteResult> PatchItemAsync(string itemId, FrescoItemPatch patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"api/item/{Escape(itemId)}", patch, s_json.FrescoItemPatch, s_json.WriteResult, cancellationToken);

    public Task<WriteResult> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/item/{Escape(itemId)}", s_json.WriteResult, cancellationToken);

    public Task<WriteResult> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"api/item/{Escape(itemId)}/category/{Escape(category)}", s_json.WriteResult, cancellationToken);

    public Task<WriteResult> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/item/{Escape(itemId)}/category/{Escape(category)}", s_json.WriteResult, cancellationToken);

    public Task<ItemPage> ListItemsAsync(int n = 100, string cursor = "", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/items?n={n}&cursor={Escape(cursor)}", s_json.ItemPage, cancellationToken);

    // ---- feedback ----

    /// <summary>Inserts feedback (existing rows are kept; with <paramref name="overwrite"/>, replaced); unknown users and items are created.</summary>
    public Task<WriteResult> InsertFeedbackAsync(IReadOnlyList<FrescoFeedback> feedback, bool overwrite = false,
        CancellationToken cancellationToken = default) =>
        SendAsync(overwrite ? HttpMethod.Put : HttpMethod.Post, "api/feedback", feedback.ToArray(), s_json.FrescoFeedbackArray, s_json.WriteResult,
            cancellationToken);

    public Task<FeedbackPage> ListFeedbackAsync(int n = 100, string cursor = "", string? feedbackType = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/feedback{TypeSegment(feedbackType)}?n={n}&cursor={Escape(cursor)}", s_json.FeedbackPage, cancellationToken);

    public Task<FrescoFeedback[]?> GetUserFeedbackAsync(string userId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"api/user/{Escape(userId)}/feedback{TypeSegment(feedbackType)}", s_json.FrescoFeedbackArray, cancellationToken);

    public Task<FrescoFeedback[]?> GetItemFeedbackAsync(string itemId, string? feedbackType = null, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"api/item/{Escape(itemId)}/feedback{TypeSegment(feedbackType)}", s_json.FrescoFeedbackArray, cancellationToken);

    public Task<WriteResult> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/feedback{TypeSegment(feedbackType)}/{Escape(userId)}/{Escape(itemId)}", s_json.WriteResult,
            cancellationToken);

    // ---- recommendations ----

    /// <summary>Personal recommendations, best first, with scores (and sources with <see cref="ListOptions.Explain"/>). Null for an unknown user.</summary>
    public async Task<ScoredId[]?> RecommendAsync(string userId, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/recommend/{Escape(userId)}{(options ?? ListOptions.Default).Query()}");
        request.Headers.Add("X-API-Version", "2");
        return await ReadOrNullAsync(request, s_json.ScoredIdArray, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Recommendations for an anonymous session given as its feedback; nothing is written.</summary>
    public Task<ScoredId[]> RecommendSessionAsync(IReadOnlyList<FrescoFeedback> session, ListOptions? options = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/session/recommend{(options ?? ListOptions.Default).Query()}", session.ToArray(), s_json.FrescoFeedbackArray,
            s_json.ScoredIdArray, cancellationToken);

    /// <summary>Items similar to an item; null for an unknown item.</summary>
    public Task<ScoredId[]?> ItemNeighborsAsync(string itemId, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"api/item/{Escape(itemId)}/neighbors{(options ?? ListOptions.Default).Query()}", s_json.ScoredIdArray, cancellationToken);

    /// <summary>Users similar to a user; null for an unknown user.</summary>
    public Task<ScoredId[]?> UserNeighborsAsync(string userId, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"api/user/{Escape(userId)}/neighbors{(options ?? ListOptions.Default).Query()}", s_json.ScoredIdArray, cancellationToken);

    /// <summary>A named non-personalised list: "popular", "latest", "trending".</summary>
    public Task<ScoredId[]> NonPersonalizedAsync(string name, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/non-personalized/{Escape(name)}{(options ?? ListOptions.Default).Query()}", s_json.ScoredIdArray,
            cancellationToken);

    /// <summary>A named item-to-item list ("similar", "bought-together") for an item.</summary>
    public Task<ScoredId[]> ItemToItemAsync(string name, string itemId, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"api/item-to-item/{Escape(name)}/{Escape(itemId)}{(options ?? ListOptions.Default).Query()}",
            s_json.ScoredIdArray, cancellationToken);

    // ---- models, health, dashboard ----

    public Task<ModelsInfo> ListModelsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/models", s_json.ModelsInfo, cancellationToken);

    /// <summary>Trains a candidate now and answers once the gate promoted or rejected it (may take minutes on large data).</summary>
    public Task<TrainingResult> TrainAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/models/train", s_json.TrainingResult, cancellationToken);

    public Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/models/rollback", s_json.RegistryOutcome, cancellationToken);

    /// <summary>Readiness: whether the engine has loaded its state (no API key needed).</summary>
    public async Task<Health> ReadyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("api/health/ready", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(s_json.Health, cancellationToken).ConfigureAwait(false)
            ?? throw new FrescoApiException(response.StatusCode, "Empty answer", "the server answered no body.");
    }

    public Task<Overview> OverviewAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/dashboard/overview", s_json.Overview, cancellationToken);

    /// <summary>Streams users, items or feedback (<paramref name="kind"/>) as JSON Lines into <paramref name="destination"/>.</summary>
    public async Task ExportAsync(string kind, Stream destination, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync($"api/dashboard/export/{Escape(kind)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports users, items or feedback (<paramref name="kind"/>) from a JSON Lines stream of any size.</summary>
    public Task<WriteResult> ImportAsync(string kind, Stream jsonLines, CancellationToken cancellationToken = default)
    {
        var content = new StreamContent(jsonLines);
        content.Headers.ContentType = new("application/x-ndjson");
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, $"api/dashboard/import/{Escape(kind)}") { Content = content }, s_json.WriteResult,
            cancellationToken);
    }

    // ---- plumbing ----

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string TypeSegment(string? feedbackType) => feedbackType is null ? "" : "/" + Escape(feedbackType);

    private Task<TAnswer> SendAsync<TAnswer>(HttpMethod method, string path, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(method, path), answer, cancellationToken);

    private Task<TAnswer> SendAsync<TBody, TAnswer>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyInfo,
        JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, bodyInfo) }, answer, cancellationToken);

    private async Task<TAnswer> SendAsync<TAnswer>(HttpRequestMessage request, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync(answer, cancellationToken).ConfigureAwait(false)
                ?? throw new FrescoApiException(response.StatusCode, "Empty answer", "the server answered no body.");
        }
    }

    private async Task<TAnswer?> GetOrNullAsync<TAnswer>(string path, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
        where TAnswer : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await ReadOrNullAsync(request, answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null on 404 (an unknown subject); any other error throws.</summary>
    private async Task<TAnswer?> ReadOrNullAsync<TAnswer>(HttpRequestMessage request, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
        where TAnswer : class
    {
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        ProblemBody? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(s_json.ProblemBody, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            // Not a problem document (a proxy's page, an empty body): the status alone says what happened.
        }
        throw new FrescoApiException(response.StatusCode, problem?.Title ?? response.ReasonPhrase ?? "Error",
            problem?.Detail ?? $"the server answered {(int)response.StatusCode}.");
    }
}
