using Fresco.Core.Ranking;
using Xunit;

namespace Fresco.Core.Tests.Ranking;

public sealed class RankerTests
{
    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var n in new[] { 1, 7, 15, 16, 17, 63, 64, 65, 127, 129 })
        {
            foreach (var k in new[] { 1, 5, 200 })
            {
                data.Add(n, k, false);
                data.Add(n, k, true);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesAFilteredFullSort(int n, int k, bool positiveOnly)
    {
        var scores = Scores(n, seed: n * 31 + k);
        var expected = scores.Select((s, i) => new ScoredItem(i, s))
            .Where(x => x.ItemIndex % 3 != 1 && x.Score > (positiveOnly ? 0f : float.NegativeInfinity))
            .OrderByDescending(x => x.Score).ThenBy(x => x.ItemIndex)
            .Take(k).ToArray();
        var actual = new ScoredItem[k];
        var count = Ranker.Select(scores, new NotOneModThree(), actual, positiveOnly);
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected, actual[..count]);
    }

    [Fact]
    public void RejectedItemsAreOverwrittenWithNegativeInfinityAndTheRestKept()
    {
        float[] scores = [3f, 2f, -1f, 0f, float.NaN, 5f, -0f];
        Ranker.Select(scores, new NotOneModThree(), new ScoredItem[1]);
        Assert.Equal([3f, float.NegativeInfinity, -1f, 0f, float.NegativeInfinity, 5f, -0f], scores);

        float[] positive = [3f, 2f, -1f, 0f, float.NaN, 5f, -0f];
        Ranker.Select(positive, new NotOneModThree(), new ScoredItem[1], positiveOnly: true);
        Assert.Equal([3f, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 5f, float.NegativeInfinity], positive);
    }

    [Fact]
    public void NonPositiveScoresAreSelectableUnlessPositiveOnly()
    {
        float[] scores = [-2f, 0f, float.NaN, -0.5f];
        var all = new ScoredItem[4];
        Assert.Equal(3, Ranker.Select((float[])scores.Clone(), new AllowAll(), all));
        Assert.Equal([new ScoredItem(1, 0f), new ScoredItem(3, -0.5f), new ScoredItem(0, -2f)], all[..3]);
        Assert.Equal(0, Ranker.Select((float[])scores.Clone(), new AllowAll(), all, positiveOnly: true));
    }

    [Fact]
    public void AskingForMoreThanIsEligibleReturnsTheEligibleAndLeavesTheRestOfTheDestination()
    {
        float[] scores = [1f, 4f, 2f, 8f, 0.5f];
        var destination = Enumerable.Repeat(new ScoredItem(-1, -1f), 10).ToArray();
        Assert.Equal(3, Ranker.Select(scores, new NotOneModThree(), destination));
        Assert.Equal([new ScoredItem(3, 8f), new ScoredItem(2, 2f), new ScoredItem(0, 1f)], destination[..3]);
        Assert.All(destination[3..], x => Assert.Equal(new ScoredItem(-1, -1f), x));
        Assert.Equal(0, Ranker.Select(scores, new NotOneModThree(), []));
        Assert.Equal(0, Ranker.Select([], new NotOneModThree(), destination));
    }

    [Fact]
    public void PositiveOnlyDoesNotAskTheMaskAboutNonPositiveScores()
    {
        float[] scores = [1f, -1f, 0f, 2f, float.NaN];
        Span<bool> asked = stackalloc bool[scores.Length];
        var count = Ranker.Select(scores, new RecordingMask(asked), new ScoredItem[5], positiveOnly: true);
        Assert.Equal(2, count);
        Assert.Equal([true, false, false, true, false], asked.ToArray());
    }

    [Fact]
    public void ExcludeIgnoresIndicesOutsideTheScores()
    {
        float[] scores = [1f, 2f, 3f];
        Ranker.Exclude(scores, [2, -1, 3, 0]);
        Assert.Equal([float.NegativeInfinity, 2f, float.NegativeInfinity], scores);
    }

    [Fact]
    public void AWarmedSelectDoesNotAllocate()
    {
        var scores = Scores(1000, seed: 1);
        var work = new float[scores.Length];
        var top = new ScoredItem[10];
        scores.CopyTo(work, 0);
        Ranker.Select(work, new NotOneModThree(), top, positiveOnly: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            scores.CopyTo(work, 0);
            Ranker.Select(work, new NotOneModThree(), top, positiveOnly: true);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Few distinct values (ties), negatives, zeros, NaN and masked scores.</summary>
    private static float[] Scores(int n, int seed)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, n).Select(_ => (float)(random.Next(9) - 3)).ToArray();
        scores[random.Next(n)] = float.NaN;
        scores[random.Next(n)] = float.NegativeInfinity;
        return scores;
    }

    private readonly struct NotOneModThree : IItemMask
    {
        public bool Allows(int itemIndex) => itemIndex % 3 != 1;
    }

    private readonly struct AllowAll : IItemMask
    {
        public bool Allows(int itemIndex) => true;
    }

    private readonly ref struct RecordingMask(Span<bool> asked) : IItemMask
    {
        private readonly Span<bool> _asked = asked;

        public bool Allows(int itemIndex)
        {
            _asked[itemIndex] = true;
            return true;
        }
    }
}
