using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// With an API key configured, answers 401 (problem details) to every request whose <c>X-API-Key</c> header does not
/// match, except the health probes under <c>/api/health/</c> (load balancers and orchestrators call them without
/// secrets) and the dashboard's static page under <c>/dashboard</c> (it holds no data: it asks for the key and sends it
/// to <c>/api</c>). Compares in constant time. Thread-safe (immutable).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, string apiKey)
{
    public const string HeaderName = "X-API-Key";

    private readonly byte[] _expected = Encoding.UTF8.GetBytes(apiKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase) || Matches(context))
        {
            return next(context);
        }
        var missing = !context.Request.Headers.ContainsKey(HeaderName);
        return TypedResults.Problem(
            missing ? $"this server requires an API key in the {HeaderName} header." : $"the {HeaderName} header does not match.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized").ExecuteAsync(context);
    }

    private bool Matches(HttpContext context)
    {
        var given = context.Request.Headers[HeaderName];
        if (given.Count != 1 || given[0] is not { } text)
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..length], _expected);
    }
}
