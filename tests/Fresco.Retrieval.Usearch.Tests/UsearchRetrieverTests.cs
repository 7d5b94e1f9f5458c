using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Engine.Models;
using Fresco.Models.Factors;
using Fresco.Models.Popularity;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Retrieval.Usearch.Tests;

public sealed class UsearchRetrieverTests
{
    // One build thread: a multi-threaded HNSW build inserts in a racy order, so a rare exact-top-10 miss would make the
    // tiny-catalog tests flaky; a single-threaded build is deterministic.
    private static readonly UsearchOptions s_small = new() { MinItems = 0, SimilarItems = true, BuildThreads = 1 };

    [Fact]
    public void OnATinyCatalogTheIndexReturnsTheExactTopItemsWithTheModelsScores()
    {
        var model = SyntheticFactors.Als(20, 300, 16);
        using var retriever = new UsearchRetriever(model, s_small);
        var found = new ScoredItem[10];

        for (var user = 0; user < 20; user++)
        {
            Assert.Equal(10, retriever.Retrieve(new UserHistory(user, [], []), found));
            var exact = Exact(model, model.UserVector(user));
            Assert.Equal(exact.Select(s => s.ItemIndex), found.Select(s => s.ItemIndex));
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(exact[i].Score, found[i].Score, 1e-4f);
            }
        }
    }

    [Fact]
    public void AnUnknownUserIsFoldedInFromTheHistory()
    {
        var model = SyntheticFactors.Als(5, 300, 16);
        using var retriever = new UsearchRetriever(model, s_small);
        int[] items = [3, 40, 41, 250];
        float[] weights = [1f, 2f, 1f, 1f];
        var vector = new float[16];
        model.FoldIn(items, weights, vector);
        var found = new ScoredItem[10];

        Assert.Equal(10, retriever.Retrieve(UserHistory.Anonymous(items, weights), found));
        Assert.Equal(Exact(model, vector).Select(s => s.ItemIndex), found.Select(s => s.ItemIndex));
    }

    [Fact]
    public void AnItemBiasIsPartOfTheScore()
    {
        var model = SyntheticFactors.Bpr(10, 300, 16);
        using var retriever = new UsearchRetriever(model, s_small);
        var found = new ScoredItem[10];
        var scores = new float[300];

        for (var user = 0; user < 10; user++)
        {
            retriever.Retrieve(new UserHistory(user, [], []), found);
            model.Score(new UserHistory(user, [], []), scores);
            var exact = new ScoredItem[10];
            TopK.Select(scores, exact);
            Assert.Equal(exact.Select(s => s.ItemIndex), found.Select(s => s.ItemIndex));
            Assert.Equal(exact[0].Score, found[0].Score, 1e-4f);
        }
    }

    [Fact]
    public void SimilarItemsAreTheExactCosineNeighboursWithoutTheItemItself()
    {
        var model = SyntheticFactors.Als(5, 300, 16);
        using var retriever = new UsearchRetriever(model, s_small);
        var found = new ScoredItem[10];
        var exact = new ScoredItem[10];

        foreach (var item in new[] { 0, 17, 299 })
        {
            Assert.Equal(10, retriever.RetrieveSimilar(item, found));
            Assert.Equal(10, model.SimilarItems(item, exact));
            Assert.DoesNotContain(item, found.Select(s => s.ItemIndex));
            Assert.Equal(exact.Select(s => s.ItemIndex), found.Select(s => s.ItemIndex));
            Assert.Equal(exact[0].Score, found[0].Score, 1e-4f);
        }
        Assert.Equal(0, retriever.RetrieveSimilar(300, found));
    }

    [Fact]
    public void RecallAt10AgainstTheExactScanIsAtLeast90PercentOn20kItems()
    {
        var model = SyntheticFactors.Als(300, 20_000, 64);
        using var retriever = new UsearchRetriever(model, new UsearchOptions { MinItems = 0, SimilarItems = false });
        var found = new ScoredItem[10];
        var hits = 0;

        for (var user = 0; user < model.UserCount; user++)
        {
            retriever.Retrieve(new UserHistory(user, [], []), found);
            var exact = Exact(model, model.UserVector(user)).Select(s => s.ItemIndex).ToHashSet();
            hits += found.Count(s => exact.Contains(s.ItemIndex));
        }

        var recall = hits / (10.0 * model.UserCount);
        TestContext.Current.SendDiagnosticMessage($"USearch recall@10 on 20k x 64: {recall:F4}");
        Assert.InRange(recall, 0.9, 1.0);
    }

    [Fact]
    public async Task ConcurrentSearchesBeyondTheThreadContextsAgreeWithASingleThread()
    {
        var model = SyntheticFactors.Als(64, 2000, 16);
        using var retriever = new UsearchRetriever(model, s_small);
        var expected = Enumerable.Range(0, 64).Select(user =>
        {
            var found = new ScoredItem[20];
            retriever.Retrieve(new UserHistory(user, [], []), found);
            return found;
        }).ToArray();

        var workers = Enumerable.Range(0, 32).Select(worker => Task.Factory.StartNew(() =>
        {
            var found = new ScoredItem[20];
            for (var round = 0; round < 200; round++)
            {
                var user = (worker + round) % 64;
                retriever.Retrieve(new UserHistory(user, [], []), found);
                if (!found.AsSpan().SequenceEqual(expected[user]))
                {
                    return false;
                }
            }
            return true;
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        Assert.All(await Task.WhenAll(workers), Assert.True);
    }

    [Fact]
    public void AWarmedRetrieveAllocatesNothing()
    {
        var model = SyntheticFactors.Als(5, 1000, 32);
        using var retriever = new UsearchRetriever(model, s_small);
        var found = new ScoredItem[50];
        int[] items = [1, 2, 3];
        float[] weights = [1f, 1f, 1f];
        retriever.Retrieve(UserHistory.Anonymous(items, weights), found);
        retriever.RetrieveSimilar(4, found);

        var before = GC.GetAllocatedBytesForCurrentThread();
        retriever.Retrieve(UserHistory.Anonymous(items, weights), found);
        retriever.Retrieve(new UserHistory(2, [], []), found);
        retriever.RetrieveSimilar(4, found);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheFactoryServesOnlyFactorModelsAboveTheThreshold()
    {
        var als = SyntheticFactors.Als(5, 500, 8);
        var popularity = ModelCatalog(TinyData.Training());
        var options = new UsearchOptions { MinItems = 500, SimilarItems = false };

        using var built = Assert.IsType<UsearchRetriever>(UsearchRetriever.Create(Serving(als), options));
        Assert.Same(als, built.Model);
        Assert.True(built.MemoryBytes > 500 * 8 * 4);
        Assert.Null(UsearchRetriever.Create(Serving(als), new UsearchOptions { MinItems = 501 }));
        Assert.Null(UsearchRetriever.Create(Serving(popularity), new UsearchOptions { MinItems = 0 }));
        Assert.Null(UsearchRetriever.Create(Serving(als))); // default threshold 100,000 items
    }

    private static IRecommender ModelCatalog(TrainingData data) =>
        Fresco.Models.ModelCatalog.Train("popularity", new TrainingContext(data, Fresco.Models.ModelCatalog.CreateOptions("popularity")));

    private static ServingModel Serving(IRecommender model) =>
        new(1, model, new ModelIdSpace(
            [.. Enumerable.Range(0, model.UserCount).Select(u => $"u{u}")],
            [.. Enumerable.Range(0, model.ItemCount).Select(i => $"i{i}")]), model.Kind, new Dictionary<string, double>(), default);

    private static ScoredItem[] Exact(FactorModel model, ReadOnlySpan<float> userVector)
    {
        var scores = new float[model.ItemCount];
        model.ScoreVector(userVector, scores);
        var top = new ScoredItem[10];
        TopK.Select(scores, top);
        return top;
    }
}
