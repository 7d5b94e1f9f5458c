using Fresco.Core.Ranking;
using Xunit;

namespace Fresco.Core.Tests.Ranking;

public sealed class TopKTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(100, 10)]
    [InlineData(1000, 50)]
    [InlineData(5, 10)]
    public void MatchesAFullSort(int n, int k)
    {
        var random = new Random(n * 31 + k);
        // Few distinct values so that ties are common.
        var scores = Enumerable.Range(0, n).Select(_ => (float)random.Next(20)).ToArray();
        scores[0] = float.NegativeInfinity;
        var expected = scores.Select((s, i) => new ScoredItem(i, s))
            .Where(x => x.Score > float.NegativeInfinity)
            .OrderByDescending(x => x.Score).ThenBy(x => x.ItemIndex)
            .Take(k).ToArray();
        var actual = new ScoredItem[k];
        var count = TopK.Select(scores, actual);
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected, actual[..count]);
    }

    [Fact]
    public void MaskedAndNaNScoresAreNeverSelected()
    {
        float[] scores = [float.NaN, float.NegativeInfinity, 1f];
        var actual = new ScoredItem[3];
        Assert.Equal(1, TopK.Select(scores, actual));
        Assert.Equal(2, actual[0].ItemIndex);
    }

    [Fact]
    public void SelectFromRanksCandidates()
    {
        int[] candidates = [10, 20, 30, 40];
        float[] scores = [0.5f, 2f, float.NegativeInfinity, 2f];
        var actual = new ScoredItem[2];
        Assert.Equal(2, TopK.SelectFrom(candidates, scores, actual));
        Assert.Equal([new ScoredItem(20, 2f), new ScoredItem(40, 2f)], actual);
    }

    [Theory]
    [InlineData(50_000, 10)]
    [InlineData(16 * 37 + 5, 16)]
    public void SkippingAheadKeepsTheBestAndTheEarliestTies(int n, int k)
    {
        // Mostly equal scores: the vector skip must keep the earliest of equal scores, as the heap does.
        var random = new Random(n);
        var scores = Enumerable.Range(0, n).Select(_ => random.Next(100) == 0 ? random.Next(5) + 1f : 0f).ToArray();
        scores[n - 1] = 9f;
        scores[n / 2] = float.NaN;
        var expected = scores.Select((s, i) => new ScoredItem(i, s))
            .Where(x => x.Score > float.NegativeInfinity)
            .OrderByDescending(x => x.Score).ThenBy(x => x.ItemIndex)
            .Take(k).ToArray();
        var actual = new ScoredItem[k];
        Assert.Equal(k, TopK.Select(scores, actual));
        Assert.Equal(expected, actual);
        Assert.Equal(new ScoredItem(n - 1, 9f), actual[0]);
    }
}
