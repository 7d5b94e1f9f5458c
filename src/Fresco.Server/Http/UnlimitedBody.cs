namespace Fresco.Server.Http;

/// <summary>
/// Endpoint metadata: the request body may be of any size (streamed imports), so <see cref="BodyLimitMiddleware"/>
/// lifts Server:MaxRequestBodyBytes for it. The handler must bound what it holds in memory. Immutable.
/// </summary>
internal sealed class UnlimitedBody;
