using System.Diagnostics.Metrics;
using Fresco.Engine.Models;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Xunit;

namespace Fresco.Engine.Tests.Training;

public sealed class EngineTrainerTests
{
    [Fact]
    public async Task RunsAreRecordedByOutcomeAndAFailureIsRethrownAndCounted()
    {
        var data = ClusteredData.Create();
        using var registry = new ModelRegistry(new InMemoryStore());
        using var metrics = new TrainingMetrics();
        var runs = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var outcome = (string)tags[0].Value!;
            runs[outcome] = runs.GetValueOrDefault(outcome) + value;
        });
        listener.Start();
        using var trainer = new EngineTrainer(metrics: metrics);
        var ids = new ModelIdSpace(data.UserIds, data.ItemIds);
        var options = ModelTrainerTests.Options("als", "factors=8", "iterations=3", "regularization=1", "threads=1");

        var first = await trainer.TrainAsync(new TrainingSnapshot(data.Matrix, ids, data.Matrix.NonZeros, null, registry, options), Ct);
        var popularity = ModelTrainerTests.Options("popularity", "threads=1");
        var second = await trainer.TrainAsync(
            new TrainingSnapshot(data.Matrix, ids, data.Matrix.NonZeros, registry.Current, registry, popularity), Ct);
        var broken = ModelTrainerTests.Options("als", "factors=8");
        broken.ModelOptions.Add("no_such_option=1");
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            trainer.TrainAsync(new TrainingSnapshot(data.Matrix, ids, data.Matrix.NonZeros, registry.Current, registry, broken), Ct));

        Assert.True(first.Outcome.Promoted, first.Outcome.Reason);
        Assert.False(second.Outcome.Promoted, second.Outcome.Reason); // popularity loses to ALS on taste groups
        Assert.Equal(first.Outcome.Version, registry.Current?.Version);
        Assert.Equal(new Dictionary<string, long> { ["promoted"] = 1, ["rejected"] = 1, ["failed"] = 1 }, runs);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
