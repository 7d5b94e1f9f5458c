using Fresco.Evaluation.Metrics;
using Xunit;

namespace Fresco.Evaluation.Tests.Metrics;

public sealed class MetricAccumulatorTests
{
    private const double Tolerance = 1e-12;

    private static Dictionary<string, double> TwoUsers()
    {
        var accumulator = new MetricAccumulator([5, 1, 3, 3], itemCount: 10);
        // User A: hits at ranks 2 and 4 of 5; three relevant items (7 never ranked).
        accumulator.Add([3, 1, 4, 5, 9], [1, 5, 7]);
        // User B: a list of only two items, the first relevant.
        accumulator.Add([7, 2], [7]);
        // User C: no relevant item; ignored, its list not counted for coverage either.
        accumulator.Add([0, 6, 8], []);
        Assert.Equal(2, accumulator.Users);
        Assert.Equal(5, accumulator.MaxK);
        return accumulator.Result();
    }

    [Fact]
    public void CutOffOneCountsOnlyTheFirstItem()
    {
        var m = TwoUsers();
        Assert.Equal(0.5, m["HR@1"], Tolerance);
        Assert.Equal(0.5, m["Recall@1"], Tolerance);
        Assert.Equal(0.5, m["Precision@1"], Tolerance);
        Assert.Equal(0.5, m["NDCG@1"], Tolerance);
        Assert.Equal(0.5, m["MAP@1"], Tolerance);
        Assert.Equal(0.5, m["MRR@1"], Tolerance);
        Assert.Equal(2 / 10.0, m["Coverage@1"], Tolerance);
    }

    [Fact]
    public void CutOffThreeMatchesHandComputedValues()
    {
        var m = TwoUsers();
        var idealA = 1 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(1.0, m["HR@3"], Tolerance);
        Assert.Equal((1 / 3.0 + 1) / 2, m["Recall@3"], Tolerance);
        Assert.Equal((1 / 3.0 + 1 / 3.0) / 2, m["Precision@3"], Tolerance);
        Assert.Equal((1 / Math.Log2(3) / idealA + 1) / 2, m["NDCG@3"], Tolerance);
        // A: precision at the hit (1/2) over min(3, 3); B: 1 over min(3, 1).
        Assert.Equal((0.5 / 3 + 1) / 2, m["MAP@3"], Tolerance);
        Assert.Equal((0.5 + 1) / 2, m["MRR@3"], Tolerance);
        Assert.Equal(5 / 10.0, m["Coverage@3"], Tolerance);
    }

    [Fact]
    public void CutOffFiveMatchesHandComputedValues()
    {
        var m = TwoUsers();
        var idealA = 1 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(1.0, m["HR@5"], Tolerance);
        Assert.Equal((2 / 3.0 + 1) / 2, m["Recall@5"], Tolerance);
        // B listed only two items but precision still divides by K.
        Assert.Equal((2 / 5.0 + 1 / 5.0) / 2, m["Precision@5"], Tolerance);
        Assert.Equal(((1 / Math.Log2(3) + 1 / Math.Log2(5)) / idealA + 1) / 2, m["NDCG@5"], Tolerance);
        Assert.Equal(((0.5 + 0.5) / 3 + 1) / 2, m["MAP@5"], Tolerance);
        Assert.Equal((0.5 + 1) / 2, m["MRR@5"], Tolerance);
        Assert.Equal(7 / 10.0, m["Coverage@5"], Tolerance);
        Assert.Equal(21, m.Count);
    }

    [Fact]
    public void IdealDcgStopsAtTheNumberOfRelevantItems()
    {
        var accumulator = new MetricAccumulator([10], itemCount: 20);
        accumulator.Add([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1]);
        var m = accumulator.Result();
        Assert.Equal(1.0, m["NDCG@10"], Tolerance);
        Assert.Equal(1.0, m["MAP@10"], Tolerance);
        Assert.Equal(0.2, m["Precision@10"], Tolerance);
    }

    [Fact]
    public void NoUserGivesZeros()
    {
        var accumulator = new MetricAccumulator([10], itemCount: 5);
        Assert.Equal(0.0, accumulator.Result()["NDCG@10"]);
        Assert.Equal(0, accumulator.Users);
    }

    [Fact]
    public void NonPositiveCutOffIsRejected() =>
        Assert.Throws<ArgumentException>(() => new MetricAccumulator([0, 10], itemCount: 5));
}
