using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Engine.Training;

/// <summary>
/// The engine's <see cref="IModelTrainer"/>: one <see cref="ModelTrainer"/> run per snapshot (on the thread pool, off
/// the caller's thread), logged and recorded in <see cref="TrainingMetrics"/>; a failed run is logged, counted and
/// rethrown (the engine keeps serving the current model). Thread-safe; the engine runs one at a time.
/// </summary>
public sealed class EngineTrainer : IModelTrainer, IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TrainingMetrics _metrics;

    public EngineTrainer(TimeProvider? time = null, ILoggerFactory? loggerFactory = null, TrainingMetrics? metrics = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EngineTrainer>();
        _metrics = metrics ?? new TrainingMetrics();
    }

    public async Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var started = _time.GetTimestamp();
        TrainingLog.Started(_logger, $"{snapshot.Options.Model} on {snapshot.UserItems.Rows} users x {snapshot.UserItems.Columns} items");
        try
        {
            var trainer = new ModelTrainer(snapshot.Registry, snapshot.Options, _time);
            var report = await Task.Run(() => trainer.TrainAsync(snapshot.UserItems, snapshot.Ids, snapshot.Events,
                snapshot.Serving, snapshot.Sequences, cancellationToken), cancellationToken).ConfigureAwait(false);
            _metrics.Record(report, snapshot.Options.GateMetric);
            TrainingLog.Finished(_logger, report.Duration.TotalSeconds, report.Kind, report.Users, report.Items,
                report.Outcome.Version, report.Outcome.Promoted, report.Outcome.Reason);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var elapsed = _time.GetElapsedTime(started);
            _metrics.RecordFailure(elapsed);
            TrainingLog.Failed(_logger, elapsed.TotalSeconds, e);
            throw;
        }
    }

    public void Dispose() => _metrics.Dispose();
}
