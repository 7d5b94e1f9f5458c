using Fresco.Core.Data;
using Fresco.Evaluation.Metrics;
using Xunit;

namespace Fresco.Evaluation.Tests.Metrics;

public sealed class RankingEvaluatorTests
{
    private static CsrMatrix Matrix(int users, int items, params (int User, int Item)[] entries)
    {
        var builder = new CsrBuilder(users, items);
        foreach (var (user, item) in entries)
        {
            builder.Add(user, item, 1f);
        }
        return builder.Build();
    }

    [Fact]
    public void TrainingItemsAreMaskedBeforeRanking()
    {
        // Both users score items 0 > 1 > 2 > 3; user 0 trained on item 0, so item 1 becomes its first.
        var model = new FixedScoreModel(new float[,] { { 4, 3, 2, 1 }, { 4, 3, 2, 1 } });
        var train = Matrix(2, 4, (0, 0));
        var test = Matrix(2, 4, (0, 1), (1, 1));
        var result = RankingEvaluator.Evaluate(model, train, test, [1], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, result.Users);
        // User 0 hits at rank 1 (item 0 masked); user 1 gets item 0 first and misses.
        Assert.Equal(0.5, result.Metrics["HR@1"], 1e-12);
    }

    [Fact]
    public void OnlyUsersWithTestItemsAreEvaluated()
    {
        var model = new FixedScoreModel(new float[,] { { 1, 2, 3 }, { 1, 2, 3 }, { 1, 2, 3 } });
        var train = Matrix(3, 3, (0, 0), (1, 0), (2, 0));
        var test = Matrix(3, 3, (2, 2));
        var result = RankingEvaluator.Evaluate(model, train, test, [1, 2], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, result.Users);
        Assert.Equal(1.0, result.Metrics["NDCG@2"], 1e-12);
        Assert.Equal(2 / 3.0, result.Metrics["Coverage@2"], 1e-12);
    }

    [Fact]
    public void ManyUsersAcrossChunksMatchOneByOneScoring()
    {
        // 5,000 users cross the evaluator's chunk boundary; each user's relevant item sits at a known rank.
        const int Users = 5000;
        const int Items = 30;
        var scores = new float[Users, Items];
        var testEntries = new List<(int, int)>();
        var expectedHits = 0;
        for (var u = 0; u < Users; u++)
        {
            for (var i = 0; i < Items; i++)
            {
                scores[u, i] = (i * 7 + u) % Items;
            }
            var target = u % Items;
            testEntries.Add((u, target));
            // The item's rank is Items - score (scores are a permutation of 0..Items-1).
            expectedHits += Items - (int)scores[u, target] <= 10 ? 1 : 0;
        }
        var model = new FixedScoreModel(scores);
        var result = RankingEvaluator.Evaluate(model, Matrix(Users, Items), Matrix(Users, Items, [.. testEntries]), [10], threads: 2, TestContext.Current.CancellationToken);
        Assert.Equal(Users, result.Users);
        Assert.Equal((double)expectedHits / Users, result.Metrics["HR@10"], 1e-12);
    }
}
