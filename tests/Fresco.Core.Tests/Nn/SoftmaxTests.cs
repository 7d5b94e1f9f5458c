using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class SoftmaxTests
{
    [Fact]
    public void ForwardMatchesHandComputedValues()
    {
        // softmax([0, ln 3]) = [0.25, 0.75].
        float[] x = [0f, MathF.Log(3f)];
        var y = new float[2];
        Softmax.Forward(x, 1, 2, y);
        Assert.Equal(0.25f, y[0], 6);
        Assert.Equal(0.75f, y[1], 6);
    }

    [Fact]
    public void LargeLogitsStayFinite()
    {
        float[] x = [1000f, 1000f + MathF.Log(3f), -1000f, float.NegativeInfinity];
        var y = new float[4];
        Softmax.Forward(x, 1, 4, y);
        Assert.Equal(0.25f, y[0], 4);
        Assert.Equal(0.75f, y[1], 4);
        Assert.Equal(0f, y[2]);
        Assert.Equal(0f, y[3]);
    }

    [Fact]
    public void AllMaskedRowIsZero()
    {
        float[] x = [float.NegativeInfinity, float.NegativeInfinity];
        var y = new float[] { 9f, 9f };
        Softmax.Forward(x, 1, 2, y);
        Assert.Equal([0f, 0f], y);
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(2, 17)]
    public void ForwardMatchesDoubleReferenceAndBackwardMatchesFiniteDifferences(int rows, int columns)
    {
        var x = GradCheck.Random(rows * columns, columns, 4f);
        var r = GradCheck.Random(x.Length, 1 + columns);
        var y = new float[x.Length];
        Softmax.Forward(x, rows, columns, y);
        for (var row = 0; row < rows; row++)
        {
            double sum = 0;
            for (var c = 0; c < columns; c++)
            {
                sum += Math.Exp(x[row * columns + c]);
            }
            for (var c = 0; c < columns; c++)
            {
                Assert.Equal(Math.Exp(x[row * columns + c]) / sum, y[row * columns + c], 5);
            }
        }
        var dx = new float[x.Length];
        Softmax.Backward(y, r, rows, columns, dx);
        GradCheck.Assert(x, dx, () =>
        {
            Softmax.Forward(x, rows, columns, y);
            return GradCheck.Dot(r, y);
        }, step: 1e-3f);
    }
}
