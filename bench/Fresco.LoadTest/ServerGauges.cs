using System.Globalization;

namespace Fresco.LoadTest;

/// <summary>
/// The engine's size as the server's Prometheus endpoint (<c>/metrics</c>) tells it, for a soak's periods: users known
/// (slots in use), items, events in the live state, the counters of eviction, expiry and id compaction, and where the
/// memory is: the managed heap, what the GC keeps committed, SQLite's own allocations (page cache included), in MiB.
/// Thread-safe (static).
/// </summary>
internal static class ServerGauges
{
    /// <summary>Printed name, series (a counter may carry a <c>_total</c> suffix: both are read; one not yet exported is 0), divisor.</summary>
    private static readonly (string Label, string Series, double Unit)[] s_shown =
    [
        ("users", "fresco_engine_users", 1), ("items", "fresco_engine_items", 1), ("events", "fresco_engine_events", 1),
        ("evicted", "fresco_engine_users_evicted", 1), ("loaded", "fresco_engine_users_loaded", 1), ("released", "fresco_engine_users_released", 1),
        ("reused", "fresco_engine_users_slots_reused", 1), ("items_released", "fresco_engine_items_released", 1),
        ("items_reused", "fresco_engine_items_slots_reused", 1), ("expired", "fresco_engine_feedback_expired", 1),
        ("heap_MiB", "dotnet_total_memory_bytes", 1 << 20), ("gc_committed_MiB", "system_runtime_dotnet_gc_last_collection_memory_committed_size", 1 << 20),
        ("sqlite_MiB", "fresco_engine_store_sqlite_memory", 1 << 20),
    ];

    /// <summary>One line, e.g. "users=3012 items=3000 events=41200 ... heap_MiB=27.4 ...", or why there is none.</summary>
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
            $"{s.Label}={sums.GetValueOrDefault(s.Series) / s.Unit:0.#}")));
    }
}
