using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// With an admin key configured, answers 401 (problem details) to every request without a configured key in its
/// <c>X-API-Key</c> header, and 403 to a read-only key outside the endpoints marked <see cref="ReadKeyAccess"/>; the
/// health probes under <c>/api/health/</c> need no key (load balancers and orchestrators call them without secrets),
/// nor does the dashboard's static page under <c>/dashboard</c> (it holds no data: it asks for the admin key and sends
/// it to <c>/api</c>). Names the caller for the per-key rate limit (<see cref="CallerOf"/>). Compares in constant time.
/// Thread-safe (immutable).
/// </summary>
internal sealed class ApiKeyMiddleware
{
    public const string HeaderName = "X-API-Key";

    private static readonly object s_callerKey = new();

    private readonly RequestDelegate _next;
    private readonly byte[] _admin;
    private readonly byte[][] _read;

    public ApiKeyMiddleware(RequestDelegate next, FrescoServerOptions server)
    {
        _next = next;
        _admin = Encoding.UTF8.GetBytes(server.ApiKey ?? throw new ArgumentException("no admin key is configured", nameof(server)));
        _read = [.. server.ReadApiKeys.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>The caller a rate limit counts against: "admin", "read-N" (the Nth read key), else the client address.</summary>
    public static string CallerOf(HttpContext context) =>
        context.Items.TryGetValue(s_callerKey, out var caller) && caller is string name
            ? name
            : context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static bool IsProbe(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        if (IsProbe(context) || context.Request.Path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase))
        {
            return _next(context);
        }
        var key = Match(context);
        if (key == 0 || (key > 0 && context.GetEndpoint()?.Metadata.GetMetadata<ReadKeyAccess>() is not null))
        {
            context.Items[s_callerKey] = key == 0 ? "admin" : $"read-{key}";
            return _next(context);
        }
        if (key > 0)
        {
            return TypedResults.Problem(
                "a read-only key may call the recommendation, popular, latest, neighbour and session endpoints only.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
        }
        var missing = !context.Request.Headers.ContainsKey(HeaderName);
        return TypedResults.Problem(
            missing ? $"this server requires an API key in the {HeaderName} header." : $"the {HeaderName} header does not match.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized").ExecuteAsync(context);
    }

    /// <summary>0 for the admin key, N for the Nth read key, -1 for none. Every key is compared, so the time says nothing.</summary>
    private int Match(HttpContext context)
    {
        var given = context.Request.Headers[HeaderName];
        if (given.Count != 1 || given[0] is not { } text)
        {
            return -1;
        }
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        bytes = bytes[..Encoding.UTF8.GetBytes(text, bytes)];
        var match = CryptographicOperations.FixedTimeEquals(bytes, _admin) ? 0 : -1;
        for (var i = 0; i < _read.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(bytes, _read[i]))
            {
                match = i + 1;
            }
        }
        return match;
    }
}
