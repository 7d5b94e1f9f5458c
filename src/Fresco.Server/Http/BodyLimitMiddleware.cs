using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Fresco.Server.Http;

/// <summary>
/// Answers 413 (problem details) before routing when a request announces a body over the limit, and sets the server's
/// per-request body limit so that Kestrel stops a longer chunked body. Thread-safe (immutable).
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, long limit)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > limit)
        {
            return Problems.TooLarge(limit).ExecuteAsync(context);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }
}
