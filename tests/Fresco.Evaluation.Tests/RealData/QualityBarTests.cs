using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Models;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Evaluation.Tests.RealData;

/// <summary>
/// The quality bars of the core engine, measured with the same code as <c>fresco eval</c> and each model's
/// DEFAULT options: ml-100k random 80/20 (mean of seeds 1, 2, 3), amazon-beauty leave-last-out, ml-1m given split.
/// The defaults are chosen on validation splits only (bench/defaults.sh; docs/models.md, "How the defaults were
/// chosen"), so these test figures choose nothing; the bars guard against regressions. Where a published figure
/// (shared/data/*/README.md) is reached, it is the bar; where it is not, the bar sits about 1% under the measured
/// figure and the published one is named in the test. Measured 2026-12-05 (docs/models.md, Quality): ml-100k ALS
/// 0.4524, itemknn 0.4167, BPR 0.4103, EASE 0.4387 (margins 0.5% for BPR to 4.5% for itemknn); EASE on Beauty
/// NDCG@10 0.0441 (the plain-EASE figure 0.0445 is not reached), HR@10 0.0795 against 0.0782 (1.7%); EASE on ml-1m
/// Recall@20 0.2775 (SimpleX's 0.2802 is not reached), NDCG@20 0.2684 against SimpleX's 0.2670 (0.5%).
/// </summary>
public sealed class QualityBarTests
{
    [Theory]
    [InlineData("als", 0.4402)]
    [InlineData("itemknn", 0.3986)]
    [InlineData("bpr", 0.4083)]
    [InlineData("ease", 0.4359)]
    public void MovieLens100kNdcgAtTenReachesThePublishedFigure(string model, double bar)
    {
        var data = DataReader.Read(TestData.RequireFile("ml-100k/u.data"));
        var ndcg = new[] { 1, 2, 3 }
            .Select(seed => Evaluate(data, model, new EvaluationSettings("random", Seed: seed, Ks: [10])).Metrics["NDCG@10"])
            .Average();
        Assert.True(ndcg >= bar, string.Create(CultureInfo.InvariantCulture, $"{model}: mean NDCG@10 {ndcg:F4} is below {bar}"));
    }

    [Fact]
    public void AmazonBeautyEaseReachesThePlainEaseHitRate()
    {
        var data = DataReader.Read(TestData.RequireFile("amazon-beauty/Beauty.txt"));
        var result = Evaluate(data, "ease", new EvaluationSettings("leave-last-out", Ks: [10]));
        Assert.Equal(22363, result.EvaluatedUsers);
        // Plain EASE's published NDCG@10 (0.0445) is not reached with the validation-chosen defaults (0.0441).
        Assert.True(result.Metrics["NDCG@10"] >= 0.0436, Show(result));
        Assert.True(result.Metrics["HR@10"] >= 0.0782, Show(result));
    }

    [Fact]
    public void MovieLens1mEaseReachesSimpleXsNdcg()
    {
        var data = DataReader.Read(TestData.RequireFile("ml-1m"));
        var result = Evaluate(data, "ease", new EvaluationSettings("given-split", Ks: [20]));
        // SimpleX's Recall@20 (0.2802) is not reached with the validation-chosen defaults (0.2775).
        Assert.True(result.Metrics["Recall@20"] >= 0.2747, Show(result));
        Assert.True(result.Metrics["NDCG@20"] >= 0.2670, Show(result));
    }

    private static EvaluationResult Evaluate(DataSet data, string model, EvaluationSettings settings) =>
        EvaluationRunner.Run(data, model, ModelCatalog.CreateOptions(model), settings, EventWeights.Uniform, null, TestContext.Current.CancellationToken);

    private static string Show(EvaluationResult r) =>
        string.Join(", ", r.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:F5}")));
}
