using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Popularity;

public sealed class PopularityModelTests : ModelContractTests
{
    protected override string ModelName => "popularity";

    protected override bool IsPersonalized => false;

    protected override bool HasSimilarItems => false;

    [Fact]
    public void RanksByDistinctUsers()
    {
        var builder = new CsrBuilder(3, 3);
        builder.Add(0, 2, 5f);
        builder.Add(1, 1, 1f);
        builder.Add(2, 1, 1f);
        var model = ModelCatalog.Train("popularity", new TrainingContext(new TrainingData(builder.Build()), ModelCatalog.CreateOptions("popularity")));
        var results = new ScoredItem[3];
        var count = model.Recommend(UserHistory.Anonymous([], []), results);
        Assert.Equal(3, count);
        Assert.Equal([1, 2, 0], results.Select(r => r.ItemIndex));
        Assert.Equal([2f, 1f, 0f], results.Select(r => r.Score));
    }

    [Fact]
    public void DecayFavoursRecentEvents()
    {
        var table = new InteractionTable();
        const long Day = 86400;
        for (var u = 0; u < 3; u++)
        {
            table.Add($"old{u}", "a", "view", 1, 1000 * Day);
        }
        table.Add("new", "b", "view", 1, 1100 * Day);
        table.Add("new2", "b", "view", 1, 1100 * Day);
        var data = new TrainingData(EventWeights.Uniform.BuildMatrix(table), table);
        var model = ModelCatalog.Train("popularity", new TrainingContext(data, ModelCatalog.CreateOptions("popularity", ["half_life_days=7"])));
        var scores = new float[2];
        model.Score(UserHistory.Anonymous([], []), scores);
        Assert.True(scores[1] > scores[0], "recent item b should trend above item a");
        Assert.Equal(2f, scores[1], 4);
    }
}
