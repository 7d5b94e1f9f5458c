using Fresco.Core.Models;
using Xunit;

namespace Fresco.Evaluation.Tests;

public sealed class EvaluationSettingsTests
{
    [Fact]
    public void CutOffsDefaultToTen()
    {
        Assert.Equal([10], new EvaluationSettings().CutOffs);
        Assert.Equal([10, 20], new EvaluationSettings(Ks: [10, 20]).CutOffs);
    }

    [Theory]
    [InlineData("ndcg@10", "NDCG@10", 10)]
    [InlineData(" Recall @ 20 ", "Recall@20", 20)]
    [InlineData("coverage@5", "Coverage@5", 5)]
    public void TuneMetricIsParsedCaseInsensitively(string text, string name, int k) =>
        Assert.Equal((name, k), new EvaluationSettings(TuneMetric: text).ParseTuneMetric());

    [Fact]
    public void ProtocolAliasesAreAccepted()
    {
        Assert.Equal("leave-last-out", EvaluationProtocol.Normalize("LOO"));
        Assert.Equal("kfold", EvaluationProtocol.Normalize("k-fold"));
        Assert.Equal("given-split", EvaluationProtocol.Normalize("given"));
    }

    [Theory]
    [InlineData(1, 10, "tpe")]
    [InlineData(5, 0, "tpe")]
    [InlineData(5, 10, "grid")]
    public void InvalidSettingsSayWhatIsValid(int folds, int k, string method)
    {
        var settings = new EvaluationSettings("kfold", Folds: folds, Ks: [k], Tune: true, TuneMethod: method);
        var e = Assert.Throws<OptionException>(settings.Validate);
        Assert.Matches("expected|Valid", e.Message);
    }

    [Fact]
    public void OnValidationTakesNoTuning()
    {
        var e = Assert.Throws<OptionException>(new EvaluationSettings(Tune: true, OnValidation: true).Validate);
        Assert.Contains("validation", e.Message);
    }
}
