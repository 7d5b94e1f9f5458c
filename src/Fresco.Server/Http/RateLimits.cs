using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Http;

/// <summary>
/// The per-key rate limit (ASP.NET Core rate limiting): a token bucket of <see cref="FrescoServerOptions.RateLimitPerSecond"/>
/// tokens a second and <see cref="FrescoServerOptions.RateLimitBurst"/> at most per caller (the key, or the client
/// address with no key configured; see <see cref="ApiKeyMiddleware.CallerOf"/>); beyond it 429 with <c>Retry-After</c>.
/// Health probes and <c>/metrics</c> are not limited. Thread-safe.
/// </summary>
internal static class RateLimits
{
    public static void Add(IServiceCollection services, FrescoServerOptions server)
    {
        if (server.RateLimitPerSecond == 0)
        {
            return;
        }
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = server.RateLimitBurst > 0 ? server.RateLimitBurst : server.RateLimitPerSecond,
            TokensPerPeriod = server.RateLimitPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ApiKeyMiddleware.IsProbe(context) || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(ApiKeyMiddleware.CallerOf(context), _ => bucket));
            o.OnRejected = (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(TypedResults.Problem(
                    $"this key made more than {server.RateLimitPerSecond} requests a second (Server:RateLimitPerSecond); retry in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(rejected.HttpContext));
            };
        });
    }

    public static void Use(WebApplication app, FrescoServerOptions server)
    {
        if (server.RateLimitPerSecond > 0)
        {
            app.UseRateLimiter();
        }
    }
}
