using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Fresco.LoadTest;

/// <summary>
/// A Fresco (or Gorse) server seen over HTTP: pooled connections, the API key header when given. Thread-safe
/// (one HttpClient shared by all requests).
/// </summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="maxConnections">Connections kept open at most; requests beyond wait in the client for one.</param>
    public ApiClient(string baseUrl, string? apiKey, int maxConnections = 512)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>GETs a path; returns whether it succeeded and the body (empty on failure).</summary>
    public async Task<(bool Ok, string Body)> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (response.IsSuccessStatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, "");
        }
    }

    /// <summary>GETs a path and drops the body; returns the status code (0 when no answer came).</summary>
    public async Task<int> GetStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
            await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>POSTs a JSON body (already serialized); returns whether it succeeded.</summary>
    public async Task<bool> PostJsonAsync(string path, string json, CancellationToken cancellationToken = default)
    {
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine($"POST {path}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"POST {path}: {e.Message}");
            return false;
        }
    }

    /// <summary>Sends a request with an optional JSON body and drops the answer; returns the status code (0 when no answer came).</summary>
    public async Task<int> SendAsync(HttpMethod method, string path, string? json = null, CancellationToken cancellationToken = default)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Up to <paramref name="limit"/> user ids, paging through GET /api/users.</summary>
    public Task<List<string>> ListUsersAsync(int limit) => ListIdsAsync("users", "Users", "UserId", limit);

    /// <summary>Up to <paramref name="limit"/> item ids, paging through GET /api/items.</summary>
    public Task<List<string>> ListItemsAsync(int limit) => ListIdsAsync("items", "Items", "ItemId", limit);

    private async Task<List<string>> ListIdsAsync(string path, string array, string idName, int limit)
    {
        var users = new List<string>();
        var cursor = "";
        while (users.Count < limit)
        {
            var (ok, body) = await GetAsync($"api/{path}?n={Math.Min(1000, limit - users.Count)}&cursor={Uri.EscapeDataString(cursor)}")
                .ConfigureAwait(false);
            if (!ok)
            {
                throw new InvalidOperationException($"GET /api/{path} failed: is the server running, is the API key right?");
            }
            using var document = JsonDocument.Parse(body);
            var page = document.RootElement.GetProperty(array);
            foreach (var user in page.EnumerateArray())
            {
                users.Add(user.GetProperty(idName).GetString()!);
            }
            cursor = document.RootElement.TryGetProperty("Cursor", out var next) ? next.GetString() ?? "" : "";
            if (page.GetArrayLength() == 0 || cursor.Length == 0)
            {
                break;
            }
        }
        return users;
    }

    public static long Elapsed(long start) => Stopwatch.GetTimestamp() - start;

    public void Dispose() => _http.Dispose();
}
