using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fresco.Server.Http;

/// <summary>RFC 7807 problem answers (application/problem+json) with a one-line detail. Thread-safe (stateless).</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem($"the request body is larger than the limit of {limit} bytes (Server:MaxRequestBodyBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    /// <summary>503: the store cannot take the request now; the client may retry after a second.</summary>
    public static ProblemHttpResult Unavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable");
    }

    /// <summary>
    /// A definition refused (a scenario, an experiment): the detail says what is wrong, the <c>field</c> extension where
    /// (a JSON path such as <c>Boosts[1].Expression</c> or <c>Variants[1].Weight</c>).
    /// </summary>
    public static ProblemHttpResult Refused(string title, string detail, string field) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult UnknownUser(string userId) => NotFound($"unknown user '{userId}'.");

    public static ProblemHttpResult UnknownItem(string itemId) => NotFound($"unknown item '{itemId}'.");
}
