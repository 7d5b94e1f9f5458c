using Fresco.Core.Data;
using Xunit;

namespace Fresco.Core.Tests.Data;

public sealed class EventWeightsTests
{
    [Fact]
    public void WeightsAreSummedPerPairAndDislikeRemoves()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "view");
        table.Add("u", "a", "purchase");
        table.Add("u", "b", "view");
        table.Add("u", "b", "dislike");
        table.Add("u", "c", "rating", 4f);
        table.Add("u", "d", "unknown-type", 9f);
        var m = EventWeights.ECommerce.BuildMatrix(table);
        Assert.Equal([0, 2, 3], m.RowIndices(0).ToArray());
        Assert.Equal([6f, 4f, 1f], m.RowValues(0).ToArray());
    }

    [Fact]
    public void ParseReadsFixedAndValueWeights()
    {
        var weights = EventWeights.Parse("view=1, cart=3,rating=0.5*value,like=value", defaultWeight: 0.5f);
        Assert.Equal(3f, weights.WeightOf("cart", 1f));
        Assert.Equal(2f, weights.WeightOf("rating", 4f));
        Assert.Equal(5f, weights.WeightOf("like", 5f));
        Assert.Equal(0.5f, weights.WeightOf("other", 7f));
    }

    [Theory]
    [InlineData("view")]
    [InlineData("view=abc")]
    [InlineData("=3")]
    public void ParseRejectsMalformedText(string text)
    {
        Assert.Throws<FormatException>(() => EventWeights.Parse(text));
    }
}
