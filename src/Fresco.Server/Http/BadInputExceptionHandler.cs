using System.Text.Json;
using Fresco.Engine.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fresco.Server.Http;

/// <summary>
/// The safety net under the handlers: an <see cref="ArgumentException"/> or <see cref="JsonException"/> thrown by the
/// engine or a store (a cursor it did not issue, a value out of its range) and a <see cref="BadHttpRequestException"/>
/// become 4xx problem answers rather than 500, and a <see cref="StoreUnavailableException"/> (the store cannot make a
/// write durable now: nothing was written) 503 with Retry-After. Anything else is left to the default 500 problem.
/// Thread-safe.
/// </summary>
internal sealed partial class BadInputExceptionHandler(ILogger<BadInputExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        IResult? result = exception switch
        {
            BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Request body too large"),
            BadHttpRequestException e => TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Bad request"),
            ArgumentException e => Problems.BadRequest(e.Message),
            JsonException e => Problems.BadRequest(e.Message),
            StoreUnavailableException e => Problems.Unavailable(httpContext, e.Message),
            _ => null,
        };
        if (result is null)
        {
            return false;
        }
        LogBadInput(logger, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        await result.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {Method} {Path}: {Reason}")]
    private static partial void LogBadInput(ILogger logger, string method, string path, string reason);
}
