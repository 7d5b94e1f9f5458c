using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Core.Tests.Models;

public sealed class ItemFilterTests
{
    [Fact]
    public void ApplyMasksEveryItemOutsideTheSet()
    {
        var filter = new ItemFilter(5, [1, 3, 7, -1]);
        float[] scores = [1f, 2f, 3f, 4f, 5f];
        filter.Apply(scores);
        Assert.Equal([float.NegativeInfinity, 2f, float.NegativeInfinity, 4f, float.NegativeInfinity], scores);
        Assert.True(filter.Contains(3));
        Assert.False(filter.Contains(7));
    }

    [Fact]
    public void RecommendKeepsToTheAllowedItems()
    {
        var model = ModelCatalog.Train("popularity", new TrainingContext(TinyData.Training(), ModelCatalog.CreateOptions("popularity")));
        var allowed = new ItemFilter(model.ItemCount, [2, 5, 12]);
        var results = new ScoredItem[10];
        var count = model.Recommend(UserHistory.Anonymous([5], [1f]), results, allowed: allowed);
        Assert.Equal([2, 12], results[..count].Select(r => r.ItemIndex).Order());
    }
}
