using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Fresco.Client;

/// <summary>Registers <see cref="FrescoClient"/> as a typed client of <see cref="IHttpClientFactory"/>. Thread-safe (static).</summary>
public static class FrescoClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="FrescoClient"/> for the server at <paramref name="baseAddress"/>, sending <paramref name="apiKey"/>
    /// when given, with Microsoft.Extensions.Http.Resilience's standard pipeline: retries with back-off on transient
    /// failures (5xx, 408, 429, network errors) for safe methods only (GET, HEAD, ...: a retried write could land
    /// twice), a circuit breaker, and timeouts long enough for <see cref="FrescoClient.TrainAsync"/> (10 minutes per
    /// attempt). Answers the builder, for more configuration.
    /// </summary>
    public static IHttpClientBuilder AddFrescoClient(this IServiceCollection services, Uri baseAddress, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var builder = services.AddHttpClient<FrescoClient>(http =>
        {
            http.BaseAddress = baseAddress;
            http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline's timeouts apply
            if (apiKey is not null)
            {
                http.DefaultRequestHeaders.Add(FrescoClient.ApiKeyHeader, apiKey);
            }
        });
        builder.AddStandardResilienceHandler(ConfigureResilience);
        return builder;
    }

    internal static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.Retry.DisableForUnsafeHttpMethods();
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.AttemptTimeout.Timeout = TimeSpan.FromMinutes(10);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(30);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(21); // at least twice the attempt timeout (validated)
    }
}
