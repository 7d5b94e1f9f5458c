using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fresco.Server.Tests;

public sealed partial class DashboardTests
{
    private static readonly string s_dashboard = Path.Combine(AppContext.BaseDirectory, "fresco-dashboard.json");

    /// <summary>The engine instruments the dashboard reads (meter Fresco.Engine), as prometheus-net exports them.</summary>
    public static readonly string[] EngineSeries =
    [
        "fresco_engine_events_ingested", "fresco_engine_event_freshness_bucket", "fresco_engine_cache_hits",
        "fresco_engine_cache_misses", "fresco_engine_model_version", "fresco_engine_users",
        "fresco_engine_items", "fresco_engine_events", "fresco_engine_training_duration_sum",
        "fresco_engine_training_duration_count", "fresco_engine_training_candidate_quality",
        "fresco_engine_training_runs", "fresco_engine_ingest_queue_depth",
    ];

    [GeneratedRegex(@"\b(http_[a-z_]+|fresco_[a-z_]+)\b")]
    private static partial Regex SeriesName();

    [Fact]
    public async Task EverySeriesTheDashboardReadsIsExportedOrAKnownEngineInstrument()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(s_dashboard));
        var expressions = document.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
        Assert.True(expressions.Count >= 12);
        var names = expressions.SelectMany(e => SeriesName().Matches(e).Select(m => m.Value)).ToHashSet();

        await using var app = await TestApp.StartAsync();
        await app.Json(app.Post("/api/feedback", """[{"FeedbackType":"view","UserId":"u","ItemId":"i"}]"""));
        await app.Json(app.Get("/api/recommend/u"));
        await app.Json(app.Post("/api/models/train", ""));
        var scrape = await (await app.Get("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var exported = names.Where(n => scrape.Contains(n + "{", StringComparison.Ordinal) || scrape.Contains(n + " ", StringComparison.Ordinal)).ToList();
        foreach (var name in names)
        {
            Assert.True(scrape.Contains(name + "{", StringComparison.Ordinal) || scrape.Contains(name + " ", StringComparison.Ordinal)
                || EngineSeries.Contains(name), $"the dashboard reads {name}, which is neither exported nor a known engine instrument");
        }
        Assert.Contains("fresco_engine_events_ingested", exported);
        Assert.Contains("fresco_engine_training_candidate_quality", exported);
        Assert.Contains("http_request_duration_seconds_bucket", names);
        // Histograms in milliseconds get millisecond buckets.
        Assert.Contains("fresco_engine_event_freshness_bucket{le=\"0.25\"}", scrape);
    }
}
