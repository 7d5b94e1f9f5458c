using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Fresco.Server.Http;

/// <summary>
/// Answers 413 (problem details) before routing when a request announces a body over the limit, and sets the server's
/// per-request body limit so that Kestrel stops a longer chunked body. Endpoints marked <see cref="UnlimitedBody"/>
/// (streamed imports) have no limit. Thread-safe (immutable).
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, long limit)
{
    public Task InvokeAsync(HttpContext context)
    {
        var unlimited = context.GetEndpoint()?.Metadata.GetMetadata<UnlimitedBody>() is not null;
        if (unlimited)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } none)
            {
                none.MaxRequestBodySize = null;
            }
            return next(context);
        }
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
