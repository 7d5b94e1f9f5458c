using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Prometheus;

namespace Fresco.Server.Http;

/// <summary>
/// Exports synchronous <see cref="Gauge{T}"/> instruments (.NET 9+), which prometheus-net 8's meter adapter skips, as
/// Prometheus gauges named the adapter's way (<c>&lt;meter&gt;_&lt;instrument&gt;</c> in snake case), labelled by
/// their tags. A measurement that cannot be exported (its tag names changed) is dropped, never thrown to the caller.
/// One per process; thread-safe (the listener calls back concurrently; prometheus-net metrics are thread-safe).
/// </summary>
internal sealed class SyncGaugeExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, string> _names = new();

    public SyncGaugeExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var type = instrument.GetType();
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Gauge<>))
            {
                _names[instrument] = PrometheusName($"{instrument.Meter.Name}_{instrument.Name}");
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _names.TryRemove(instrument, out string? _);
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.SetMeasurementEventCallback<float>(OnMeasurement);
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Lower case; every character outside [a-z0-9_] becomes '_', runs of '_' collapse.</summary>
    internal static string PrometheusName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            var keep = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_';
            if (keep != '_' || builder.Length == 0 || builder[^1] != '_')
            {
                builder.Append(keep);
            }
        }
        return builder.ToString().Trim('_');
    }

    private void OnMeasurement<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct
    {
        if (!_names.TryGetValue(instrument, out var name))
        {
            return;
        }
        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var labelNames = new string[sorted.Length];
        var labelValues = new string[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            labelNames[i] = PrometheusName(sorted[i].Key);
            labelValues[i] = Convert.ToString(sorted[i].Value, CultureInfo.InvariantCulture) ?? "";
        }
        try
        {
            var gauge = Metrics.CreateGauge(name, $"{instrument.Description} (Gauge)", labelNames);
            gauge.WithLabels(labelValues).Set(Convert.ToDouble(measurement, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The instrument was recorded with another set of tag names than before: Prometheus cannot hold both.
        }
    }
}
