using System.Diagnostics.Metrics;
using Prometheus;

namespace Fresco.Server.Http;

/// <summary>
/// Configures prometheus-net's .NET meter adapter once per process, before it starts: histograms recorded in
/// milliseconds or seconds (the engine's freshness and training duration) get buckets that fit their range. The
/// adapter exports an instrument as <c>&lt;meter&gt;_&lt;instrument&gt;</c> in snake case, counters as gauges (no
/// <c>_total</c>). Synchronous gauges, which the adapter skips, go through <see cref="SyncGaugeExporter"/>.
/// Thread-safe (runs once).
/// </summary>
internal static class MetricsSetup
{
    private static readonly double[] s_milliseconds = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];
    private static readonly double[] s_seconds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
    private static readonly Lazy<bool> s_configured = new(Configure);
    private static SyncGaugeExporter? s_gauges;

    public static void EnsureConfigured() => _ = s_configured.Value;

    private static bool Configure()
    {
        Metrics.ConfigureMeterAdapter(options =>
        {
            var fallback = options.ResolveHistogramBuckets;
            options.ResolveHistogramBuckets = instrument => Buckets(instrument) ?? fallback(instrument);
        });
        s_gauges = new SyncGaugeExporter();
        return true;
    }

    private static double[]? Buckets(Instrument instrument) => instrument.Unit switch
    {
        "ms" => s_milliseconds,
        "s" => s_seconds,
        _ => null,
    };
}
