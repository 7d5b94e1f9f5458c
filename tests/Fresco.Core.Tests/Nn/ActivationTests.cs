using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class ActivationTests
{
    [Fact]
    public void GeluMatchesHandComputedValues()
    {
        float[] x = [0f, 1f, -1f, 3f];
        var y = new float[4];
        Gelu.Forward(x, y);
        // 0.5 x (1 + tanh(0.7978845608 (x + 0.044715 x^3))).
        Assert.Equal(0f, y[0]);
        Assert.Equal(0.8411920f, y[1], 5);
        Assert.Equal(-0.1588080f, y[2], 5);
        Assert.Equal(2.9963627f, y[3], 5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(65)]
    public void GeluBackwardMatchesFiniteDifferences(int length)
    {
        var x = GradCheck.Random(length, length, 3f);
        var r = GradCheck.Random(length, 100 + length);
        var y = new float[length];
        var dx = new float[length];
        Gelu.Backward(x, r, dx);
        GradCheck.Assert(x, dx, () =>
        {
            Gelu.Forward(x, y);
            return GradCheck.Dot(r, y);
        }, step: 1e-3f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(129)]
    public void ReluForwardAndBackwardMatchScalarReference(int length)
    {
        var x = GradCheck.Random(length, length);
        for (var i = 0; i < length; i++)
        {
            x[i] += x[i] >= 0 ? 0.1f : -0.1f; // away from the kink for the finite differences
        }
        var r = GradCheck.Random(length, 200 + length);
        var y = new float[length];
        Relu.Forward(x, y);
        for (var i = 0; i < length; i++)
        {
            Assert.Equal(x[i] > 0 ? x[i] : 0f, y[i]);
        }
        var dx = new float[length];
        Relu.Backward(x, r, dx);
        GradCheck.Assert(x, dx, () =>
        {
            Relu.Forward(x, y);
            return GradCheck.Dot(r, y);
        });
    }
}
