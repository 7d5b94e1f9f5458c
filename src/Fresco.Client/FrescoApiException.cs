using System.Net;

namespace Fresco.Client;

/// <summary>
/// The server answered an error: its HTTP status and the RFC 7807 problem's title and detail (the reason in one line).
/// Immutable.
/// </summary>
public sealed class FrescoApiException(HttpStatusCode status, string title, string detail)
    : Exception($"{(int)status} {title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string Detail { get; } = detail;
}
