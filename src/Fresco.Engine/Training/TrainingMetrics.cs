using System.Diagnostics.Metrics;

namespace Fresco.Engine.Training;

/// <summary>
/// The instruments of training on the <c>Fresco.Engine</c> meter: run duration (seconds), the last candidate's gate
/// metric, runs by outcome (promoted, rejected, skipped, failed). The served version is
/// <see cref="EngineMetrics"/>' gauge.
/// Thread-safe (instruments are).
/// </summary>
public sealed class TrainingMetrics : IDisposable
{
    public const string MeterName = EngineMetrics.MeterName;

    private readonly Meter? _ownedMeter;
    private readonly Histogram<double> _duration;
    private readonly Gauge<double> _quality;
    private readonly Counter<long> _runs;

    /// <param name="meterFactory">Creates the meter (the host's factory); null: a meter owned by this instance.</param>
    public TrainingMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        _duration = Meter.CreateHistogram<double>("training.duration", "s", "Duration of a training run.");
        _quality = Meter.CreateGauge<double>("training.candidate_quality", null,
            "The gate metric of the last evaluated candidate on the hold-out.");
        _runs = Meter.CreateCounter<long>("training.runs", null, "Training runs by outcome.");
    }

    public Meter Meter { get; }

    public void Record(TrainingReport report, string gateMetric)
    {
        _duration.Record(report.Duration.TotalSeconds);
        var outcome = report.Outcome.Version < 0 ? "skipped" : report.Outcome.Promoted ? "promoted" : "rejected";
        _runs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (report.CandidateMetrics.TryGetValue(gateMetric, out var quality))
        {
            _quality.Record(quality, new KeyValuePair<string, object?>("metric", gateMetric));
        }
    }

    public void RecordFailure(TimeSpan duration)
    {
        _duration.Record(duration.TotalSeconds);
        _runs.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
