using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Engine.Tests.Models;

/// <summary>Readers scoring on <see cref="ModelRegistry.Current"/> while writers swap models.</summary>
public abstract partial class ModelRegistryTests
{
    [Fact]
    public async Task ReadersNeverSeeANullOrTornModelWhileModelsAreSwapped()
    {
        var always = new QualityGate("ndcg", 1);
        var expected = new Dictionary<string, float[]>
        {
            ["popularity"] = Scores(Popularity, 0),
            ["itemknn"] = Scores(ItemKnn, 0),
        };
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), always, Ct);
        var matrix = TinyData.Matrix();
        using var stop = new CancellationTokenSource();
        long totalReads = 0;
        var started = 0;
        // Dedicated threads (LongRunning): on a busy 2-core machine the thread pool may start pool tasks late.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            var buffer = new float[TinyData.Items];
            var reads = 0;
            var versions = new HashSet<long>();
            while (!stop.IsCancellationRequested)
            {
                var serving = Registry.Current ?? throw new InvalidOperationException("Current was null.");
                if (serving.Model.Kind != serving.Kind)
                {
                    throw new InvalidOperationException($"Torn model: kind {serving.Kind}, model {serving.Model.Kind}.");
                }

                serving.Model.Score(UserHistory.FromMatrix(matrix, 0), buffer);
                if (!buffer.AsSpan().SequenceEqual(expected[serving.Kind]))
                {
                    throw new InvalidOperationException($"Version {serving.Version} scored differently from its kind.");
                }

                versions.Add(serving.Version);
                if (reads++ == 0)
                {
                    Interlocked.Increment(ref started);
                }

                Interlocked.Increment(ref totalReads);
            }

            return (reads, versions.Count);
        }, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) == readers.Length, TimeSpan.FromSeconds(120)));

            for (var i = 0; i < 20; i++)
            {
                // let the readers run between swaps (the in-memory store swaps faster than threads start)
                var seen = Interlocked.Read(ref totalReads);
                Assert.True(SpinWait.SpinUntil(() => Interlocked.Read(ref totalReads) >= seen + 8, TimeSpan.FromSeconds(60)));
                var candidate = i % 2 == 0 ? ItemKnn : Popularity;
                Assert.True((await Registry.ProposeAsync(candidate, IdsFor(candidate), Report(0.5, 0.5), always, Ct)).Promoted);
                if (i % 3 == 0)
                {
                    Assert.True((await Registry.RollbackAsync(Ct)).Promoted);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        var results = await Task.WhenAll(readers);
        Assert.All(results, r => Assert.True(r.reads > 0));
        Assert.True(results.Max(r => r.Count) > 1, "readers should have observed at least one swap");
    }
}
