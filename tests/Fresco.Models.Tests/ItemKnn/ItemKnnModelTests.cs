using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models.ItemKnn;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.ItemKnn;

public sealed class ItemKnnModelTests : ModelContractTests
{
    protected override string ModelName => "itemknn";

    protected override IEnumerable<string> TinyOptions => ["neighbors=10", "shrinkage=1"];

    [Fact]
    public void SimilarityIsTheShrunkCosine()
    {
        // Items as user vectors: i0 = (1,1,0), i1 = (1,1,1), i2 = (0,1,1).
        var model = Train(["weighting=none", "shrinkage=1"]);
        var scores = new float[3];
        Assert.True(model.TryScoreSimilar(0, scores));
        Assert.Equal(0f, scores[0]);
        Assert.Equal(2 / (MathF.Sqrt(2) * MathF.Sqrt(3) + 1), scores[1], 5);
        Assert.Equal(1 / (2f + 1), scores[2], 5);
    }

    [Fact]
    public void ScoresSumTheHistoryRowsWeighted()
    {
        var model = Train(["weighting=none", "shrinkage=0"]);
        var scores = new float[3];
        model.Score(UserHistory.Anonymous([0, 2], [1f, 2f]), scores);
        var c = 2 / (MathF.Sqrt(2) * MathF.Sqrt(3));
        Assert.Equal(2 * 0.5f, scores[0], 5);
        Assert.Equal(c + (2 * c), scores[1], 5);
        Assert.Equal(0.5f, scores[2], 5);
    }

    [Fact]
    public void KeepsOnlyTheBestNeighbours()
    {
        var model = (ItemKnnModel)Train(["weighting=none", "shrinkage=0", "neighbors=1"]);
        Assert.Equal([1], model.Similarities.RowIndices(0).ToArray());
        Assert.Equal([0, 1], [model.Similarities.RowIndices(1)[0], model.Similarities.RowIndices(2)[0]]);
    }

    [Fact]
    public void Bm25WeightsAsImplicitDoes()
    {
        var matrix = Matrix();
        var weighting = InteractionWeighting.Fit(matrix, "bm25", k1: 100, b: 0.8);
        // Item 1 is seen by all 3 users: idf = log 3 - log 4. User 1 has 3 of the 7 interactions: norm = 0.2 + 0.8 * 3 / (7/3).
        var norm = 0.2 + (0.8 * 3 / (7.0 / 3));
        var expected = 101 / ((100 * norm) + 1) * (Math.Log(3) - Math.Log(4));
        Assert.Equal(expected, weighting.Weigh(1, 1f, weighting.RowFactor([1f, 1f, 1f])), 5);
        Assert.Equal((float)(Math.Sqrt(4) * (Math.Log(3) - Math.Log(3))), InteractionWeighting.Fit(matrix, "tfidf", 0, 0).Weigh(0, 4f, 1f), 5);
    }

    private static CsrMatrix Matrix()
    {
        var builder = new CsrBuilder(3, 3);
        foreach (var (u, i) in new[] { (0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2) })
        {
            builder.Add(u, i, 1f);
        }
        return builder.Build();
    }

    private static IRecommender Train(string[] options) =>
        ModelCatalog.Train("itemknn", new TrainingContext(new TrainingData(Matrix()), ModelCatalog.CreateOptions("itemknn", options)));
}
