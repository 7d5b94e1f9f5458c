using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models.Als;
using Fresco.Models.Factors;
using Xunit;

namespace Fresco.Models.Tests.Factors;

public sealed class FactorModelTests
{
    private static readonly CsrMatrix s_matrix = RandomMatrix(150, 301, 12);

    [Fact]
    public void BatchScoresEqualOneByOneScores()
    {
        // Users 0..139 are known; 140..149 are scored from history rows the model never trained on.
        var trainedOn = RandomMatrix(140, 301, 12);
        var small = TrainAls(trainedOn);
        int[] users = [0, 5, 6, 7, 8, 9, 139, 140, 149, 3, 2];
        var batch = new float[users.Length * small.ItemCount];
        small.ScoreBatch(users, s_matrix, batch);
        var single = new float[small.ItemCount];
        for (var u = 0; u < users.Length; u++)
        {
            var history = users[u] < small.UserCount
                ? UserHistory.FromMatrix(s_matrix, users[u])
                : UserHistory.Anonymous(s_matrix.RowIndices(users[u]), s_matrix.RowValues(users[u]));
            small.Score(history, single);
            for (var i = 0; i < single.Length; i++)
            {
                Assert.Equal(single[i], batch[u * small.ItemCount + i], 1e-4f);
            }
        }
    }

    [Fact]
    public void ScoreIsTheDotProductOfUserAndItemVectors()
    {
        var model = TrainAls(s_matrix);
        var scores = new float[model.ItemCount];
        model.Score(UserHistory.FromMatrix(s_matrix, 17), scores);
        foreach (var item in new[] { 0, 15, 16, 150, 300 })
        {
            var expected = 0f;
            for (var k = 0; k < model.Factors; k++)
            {
                expected += model.UserVector(17)[k] * model.ItemVector(item)[k];
            }
            Assert.Equal(expected, scores[item], 1e-4f);
        }
    }

    [Fact]
    public void SimilarityIsTheCosineOfItemVectors()
    {
        var model = TrainAls(s_matrix);
        var scores = new float[model.ItemCount];
        Assert.True(model.TryScoreSimilar(4, scores));
        Assert.False(model.TryScoreSimilar(model.ItemCount, scores));
        var a = model.ItemVector(4);
        var b = model.ItemVector(200);
        float dot = 0, na = 0, nb = 0;
        for (var k = 0; k < model.Factors; k++)
        {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        Assert.Equal(dot / MathF.Sqrt(na * nb), scores[200], 1e-4f);
        Assert.Equal(1f, scores[4], 1e-4f);
    }

    [Fact]
    public void RecommendBatchMatchesRecommend()
    {
        var model = TrainAls(s_matrix);
        int[] users = [.. Enumerable.Range(0, 150)];
        var results = new ScoredItem[users.Length * 5];
        var counts = new int[users.Length];
        model.RecommendBatch(users, s_matrix, 5, results, counts, threads: 2);
        var single = new ScoredItem[5];
        foreach (var u in users)
        {
            var count = model.Recommend(UserHistory.FromMatrix(s_matrix, u), single);
            Assert.Equal(count, counts[u]);
            Assert.Equal(single.Take(count).Select(r => r.ItemIndex), results.Skip(u * 5).Take(count).Select(r => r.ItemIndex));
        }
    }

    private static FactorModel TrainAls(CsrMatrix matrix)
    {
        var options = ModelCatalog.CreateOptions("als", ["factors=20", "iterations=3", "regularization=1", "threads=2"]);
        return AlsTrainer.Train(new TrainingContext(new TrainingData(matrix), options));
    }

    private static CsrMatrix RandomMatrix(int users, int items, int perUser)
    {
        var random = new Random(users);
        var builder = new CsrBuilder(users, items);
        for (var u = 0; u < users; u++)
        {
            for (var j = 0; j < perUser; j++)
            {
                builder.Add(u, random.Next(items), 1f + random.Next(3));
            }
        }
        return builder.Build();
    }
}
