using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// Sheds load beyond capacity: at most <see cref="FrescoServerOptions.MaxConcurrentRequests"/> requests run at once,
/// up to <see cref="FrescoServerOptions.MaxQueuedRequests"/> more wait (oldest first), and the rest answer 503 with
/// <c>Retry-After</c> at once (<see cref="OverloadedAnswer"/>) instead of queueing without bound. Health probes and <c>/metrics</c> are never shed.
/// It bounds what waits inside the pipeline (slow handlers, writes waiting for the disk); CPU overload, which queues
/// requests before the pipeline, is <see cref="QueueDelayMiddleware"/>'s.
/// Thread-safe (the limiter is; it holds no timer or handle, so the middleware needs no disposal).
/// </summary>
internal sealed class LoadSheddingMiddleware(RequestDelegate next, FrescoServerOptions server, ServerMetrics metrics)
{
    private readonly OverloadedAnswer _answer = new(
        $"the server is at capacity ({server.MaxConcurrentRequests} requests running, {server.MaxQueuedRequests} waiting); retry later.");

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = server.MaxConcurrentRequests,
        QueueLimit = server.MaxQueuedRequests,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async Task InvokeAsync(HttpContext context)
    {
        if (ApiKeyMiddleware.IsProbe(context) || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while waiting: nothing to answer
        }
        using var held = lease;
        if (lease.IsAcquired)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        metrics.ShedForConcurrency();
        await _answer.WriteAsync(context).ConfigureAwait(false);
    }
}
