using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Fresco.Cluster.Tests;

/// <summary>The few HTTP calls the cluster tests make, against the balancer or one replica. Thread-safe.</summary>
public sealed class ClusterApi : IDisposable
{
    private readonly HttpClient _http;

    public ClusterApi(Uri address, TimeSpan? timeout = null)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>POST /api/feedback with one event; the answer's status code (0 when no answer came).</summary>
    public async Task<HttpStatusCode> PostFeedbackAsync(string type, string user, string item)
    {
        using var response = await SendFeedbackAsync(type, user, item);
        return response?.StatusCode ?? 0;
    }

    /// <summary>POST /api/feedback with one event; the whole answer (null when none came). The caller disposes it.</summary>
    public async Task<HttpResponseMessage?> SendFeedbackAsync(string type, string user, string item)
    {
        var body = new JsonArray(new JsonObject
        {
            ["FeedbackType"] = type,
            ["UserId"] = user,
            ["ItemId"] = item,
            ["Timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        }).ToJsonString();
        try
        {
            return await _http.PostAsync("/api/feedback", new StringContent(body, Encoding.UTF8, "application/json"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>POST /api/items: items with the given ids.</summary>
    public async Task PostItemsAsync(IEnumerable<string> ids)
    {
        var body = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["ItemId"] = id, ["Categories"] = new JsonArray() })]);
        using var response = await _http.PostAsync("/api/items", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>GET /api/recommend/{user}: the status and the item ids (empty unless 200; status 0 when no answer came).</summary>
    public async Task<(HttpStatusCode Status, string[] Items)> RecommendAsync(string user)
    {
        try
        {
            using var response = await _http.GetAsync($"/api/recommend/{Uri.EscapeDataString(user)}?n=50");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, []);
            }

            var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            return (response.StatusCode, [.. items.Select(i => i is JsonObject o ? (string)o["Id"]! : (string)i!)]);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, []);
        }
    }

    /// <summary>GET a JSON document; throws unless 200.</summary>
    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }

    /// <summary>POST with no body; the status and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path)
    {
        using var response = await _http.PostAsync(path, null);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="condition"/> every few milliseconds until true; the time it took, or null after <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan?> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(2));
        }

        return null;
    }

    public void Dispose() => _http.Dispose();
}
