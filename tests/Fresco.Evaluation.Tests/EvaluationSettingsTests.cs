using Fresco.Evaluation;
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
}
