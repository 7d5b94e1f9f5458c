using System.Globalization;

namespace Fresco.LoadTest;

/// <summary>
/// The engine's size as the server's Prometheus endpoint (<c>/metrics</c>) tells it, for a soak's periods: users known
/// (slots in use), items, events in the live state, and the counters of eviction, expiry and id compaction. Thread-safe (static).
/// </summary>
internal static class ServerGauges
{
    /// <summary>Printed name, then the series (counters may carry a <c>_total</c> suffix: both are read; a counter not yet exported is 0).</summary>
    private static readonly (string Label, string Series)[] s_shown =
    [
        ("users", "fresco_engine_users"), ("items", "fresco_engine_items"), ("events", "fresco_engine_events"),
        ("evicted", "fresco_engine_users_evicted"), ("loaded", "fresco_engine_users_loaded"), ("released", "fresco_engine_users_released"),
        ("reused", "fresco_engine_users_slots_reused"), ("expired", "fresco_engine_feedback_expired"),
        ("sqlite_bytes", "fresco_engine_store_sqlite_memory_bytes"),
    ];

    /// <summary>One line, e.g. "users=3012 items=3000 events=41200 ...", or why there is none.</summary>
    public static async Task<string> ReadAsync(ApiClient client)
    {
        var (ok, body) = await client.GetAsync("metrics").ConfigureAwait(false);
        if (!ok)
        {
            return "server metrics: no answer";
        }
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var name = line[..line.IndexOfAny([' ', '{'])];
            name = name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length] : name;
            if (double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
        }
        return string.Join(' ', s_shown.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Label}={sums.GetValueOrDefault(s.Series):F0}")));
    }
}
