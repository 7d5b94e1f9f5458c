using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Engine.Models;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Xunit;

namespace Fresco.Engine.Tests.Training;

public sealed class TrainingSwapTests
{
    [Fact]
    public async Task RequestsScoringWhileTrainingRunsPromoteModelsNeverFail()
    {
        var data = ClusteredData.Create();
        using var registry = new ModelRegistry(new InMemoryStore());
        var options = ModelTrainerTests.Options("als", "factors=8", "iterations=3", "regularization=1", "threads=1");
        options.GateMargin = 1; // promote every candidate: the test is about swaps
        var trainer = new ModelTrainer(registry, options);
        Task<TrainingReport> TrainAsync() =>
            Task.Run(() => trainer.TrainAsync(data.Matrix, data.UserIds, data.ItemIds, data.Matrix.NonZeros, registry.Current));
        await TrainAsync();

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Factory.StartNew(() =>
        {
            var top = new ScoredItem[10];
            var versions = new HashSet<long>();
            for (var user = r; !stop.IsCancellationRequested; user = (user + 1) % data.UserIds.Length)
            {
                var serving = registry.Current ?? throw new InvalidOperationException("Nothing served.");
                var count = serving.Model.Recommend(UserHistory.FromMatrix(data.Matrix, user), top);
                if (count != 10 || top[0].Score < top[9].Score)
                {
                    throw new InvalidOperationException($"Version {serving.Version} returned {count} items.");
                }
                versions.Add(serving.Version);
            }
            return versions.Count;
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        for (var i = 0; i < 3; i++)
        {
            var report = await TrainAsync();
            Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
        }
        await stop.CancelAsync();
        var seen = await Task.WhenAll(readers);

        Assert.Equal(4, registry.Current?.Version);
        Assert.All(seen, count => Assert.InRange(count, 1, 4));
    }
}
