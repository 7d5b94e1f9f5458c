using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// The first middleware: while the <see cref="QueueDelayShedder"/> sees a standing thread-pool queue, reads answer 503
/// at once (<see cref="OverloadedAnswer"/>), so the pool drains and the requests it admits wait no longer than the
/// target. Never shed: health probes, <c>/metrics</c>, and writes (any method but GET and HEAD), which carry data the
/// caller would otherwise have to hold; they stay under the concurrency limit of <see cref="LoadSheddingMiddleware"/>.
/// Thread-safe (stateless; the shedder is).
/// </summary>
internal sealed class QueueDelayMiddleware(RequestDelegate next, QueueDelayShedder shedder, ServerMetrics metrics, FrescoServerOptions server)
{
    private readonly OverloadedAnswer _answer = new(
        $"the server is overloaded: requests wait longer than {server.QueueDelayTarget.TotalMilliseconds} ms (Server:QueueDelayTarget) before they run; retry later.");

    public Task InvokeAsync(HttpContext context)
    {
        if (!shedder.IsShedding || IsExempt(context))
        {
            return next(context);
        }
        metrics.ShedForQueueDelay();
        return _answer.WriteAsync(context);
    }

    /// <summary>Health probes, <c>/metrics</c> and writes.</summary>
    public static bool IsExempt(HttpContext context) =>
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        || ApiKeyMiddleware.IsProbe(context)
        || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal);
}
