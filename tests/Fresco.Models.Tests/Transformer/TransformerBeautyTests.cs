using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Evaluation;
using Fresco.Models.Transformer;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Transformer;

/// <summary>
/// amazon-beauty, leave-last-out, full ranking: a short CI run (3 epochs, about half a minute on 2 free cores).
/// The full quality bar (NDCG@10 above 0.0445 with the default 200-epoch budget and early stopping) takes many
/// minutes and is measured by <c>Fresco.Benchmarks transformer</c> and bench/quality.sh instead.
/// </summary>
public sealed class TransformerBeautyTests
{
    [Fact]
    public void ThreeEpochsMoreThanDoublePopularity()
    {
        var data = DataReader.Read(TestData.RequireFile("amazon-beauty/Beauty.txt"));
        var options = (TransformerOptions)ModelCatalog.CreateOptions("transformer", ["epochs=3", "evaluate_every=1"]);
        var result = EvaluationRunner.Run(
            data, "transformer", options, new EvaluationSettings("leave-last-out", Ks: [10]), EventWeights.Uniform, null, TestContext.Current.CancellationToken);
        var ndcg = result.Metrics["NDCG@10"];
        // Popularity reaches NDCG@10 0.0068 and HR@10 0.0152 on this protocol (the data's README).
        Assert.True(ndcg > 0.015, string.Create(CultureInfo.InvariantCulture, $"NDCG@10 {ndcg:F4} after 3 epochs"));
        Assert.True(result.Metrics["HR@10"] > 0.03, string.Create(CultureInfo.InvariantCulture, $"HR@10 {result.Metrics["HR@10"]:F4} after 3 epochs"));
    }
}
