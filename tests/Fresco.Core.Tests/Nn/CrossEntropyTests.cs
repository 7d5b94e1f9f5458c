using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class CrossEntropyTests
{
    [Fact]
    public void MatchesHandComputedLossAndGradient()
    {
        // Row 0: logits [0, ln 3], target 1 -> p = [0.25, 0.75], loss -ln 0.75. Row 1 ignored. Row 2: uniform over
        // two classes, target 0 -> loss ln 2. Mean over 2 counted rows.
        float[] logits = [0f, MathF.Log(3f), 5f, -5f, 2f, 2f];
        int[] targets = [1, -1, 0];
        var grad = new float[6];
        var loss = CrossEntropy.Compute(logits, targets, 3, 2, grad);
        Assert.Equal((-Math.Log(0.75) + Math.Log(2)) / 2, loss, 5);
        float[] expected = [0.125f, -0.125f, 0f, 0f, -0.25f, 0.25f];
        GradCheck.AssertClose(expected, grad, 1e-6f);
        Assert.Equal(loss, CrossEntropy.Compute(logits, targets, 3, 2, default), 6);
    }

    [Fact]
    public void LargeLogitsStayFinite()
    {
        float[] logits = [1000f, 0f, -1000f];
        var grad = new float[3];
        var loss = CrossEntropy.Compute(logits, [1], 1, 3, grad);
        Assert.Equal(1000f, loss, 2);
        Assert.Equal(1f, grad[0], 6);
        Assert.Equal(-1f, grad[1], 6);
    }

    [Fact]
    public void AllIgnoredGivesZero()
    {
        var grad = new float[] { 1f, 1f };
        Assert.Equal(0f, CrossEntropy.Compute([1f, 2f], [-1], 1, 2, grad));
        Assert.Equal([0f, 0f], grad);
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(5, 17)]
    public void GradientMatchesFiniteDifferences(int rows, int classes)
    {
        var logits = GradCheck.Random(rows * classes, classes, 3f);
        var targets = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            targets[r] = r == 1 ? -1 : (r * 5) % classes;
        }
        var grad = new float[logits.Length];
        CrossEntropy.Compute(logits, targets, rows, classes, grad);
        GradCheck.Assert(logits, grad, () => CrossEntropy.Compute(logits, targets, rows, classes, default), step: 1e-2f, tolerance: 1e-3);
    }
}
