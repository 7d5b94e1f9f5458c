using Fresco.Engine.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// A write the store could not make durable because its disk is full answers 507 Insufficient Storage (problem
/// details, <c>Retry-After</c>): it was not acknowledged, the client may send it again later. The engine logs and
/// counts the condition. Thread-safe (stateless).
/// </summary>
internal sealed class StoreFullExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreFullException)
        {
            return false;
        }
        httpContext.Response.Headers.RetryAfter = "30";
        await TypedResults.Problem("the server's disk is full: this write was not stored; send it again once space is freed.",
            statusCode: StatusCodes.Status507InsufficientStorage, title: "Insufficient storage").ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}
