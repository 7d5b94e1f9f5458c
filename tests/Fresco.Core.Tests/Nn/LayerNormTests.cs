using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class LayerNormTests
{
    [Fact]
    public void ForwardNormalizesAHandComputedRow()
    {
        // x = [1, 3]: mean 2, variance 1 -> xhat = [-1, 1]; gamma = [2, 1], beta = [0, 0.5] -> [-2, 1.5].
        float[] x = [1, 3], gamma = [2, 1], beta = [0, 0.5f];
        var y = new float[2];
        var mean = new float[1];
        var rstd = new float[1];
        LayerNorm.Forward(x, gamma, beta, 1, 2, y, mean, rstd, epsilon: 0f);
        Assert.Equal(2f, mean[0]);
        Assert.Equal(1f, rstd[0]);
        Assert.Equal([-2f, 1.5f], y);
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(5, 1)]
    [InlineData(2, 33)]
    public void ForwardMatchesDoubleReference(int rows, int dimension)
    {
        var x = GradCheck.Random(rows * dimension, 1, 3f);
        var gamma = GradCheck.Random(dimension, 2);
        var beta = GradCheck.Random(dimension, 3);
        var y = new float[x.Length];
        LayerNorm.Forward(x, gamma, beta, rows, dimension, y, new float[rows], new float[rows]);
        var expected = new float[x.Length];
        for (var r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (var i = 0; i < dimension; i++)
            {
                mean += x[r * dimension + i];
            }
            mean /= dimension;
            for (var i = 0; i < dimension; i++)
            {
                variance += Math.Pow(x[r * dimension + i] - mean, 2);
            }
            var rstd = 1.0 / Math.Sqrt(variance / dimension + 1e-5);
            for (var i = 0; i < dimension; i++)
            {
                expected[r * dimension + i] = (float)((x[r * dimension + i] - mean) * rstd * gamma[i] + beta[i]);
            }
        }
        GradCheck.AssertClose(expected, y);
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(2, 16)]
    public void BackwardMatchesFiniteDifferences(int rows, int dimension)
    {
        var x = GradCheck.Random(rows * dimension, 4, 2f);
        var gamma = GradCheck.Random(dimension, 5);
        var beta = GradCheck.Random(dimension, 6);
        var r = GradCheck.Random(x.Length, 7);
        var y = new float[x.Length];
        var mean = new float[rows];
        var rstd = new float[rows];
        double Loss()
        {
            LayerNorm.Forward(x, gamma, beta, rows, dimension, y, mean, rstd);
            return GradCheck.Dot(r, y);
        }
        Loss();
        var dx = new float[x.Length];
        var dGamma = new float[dimension];
        var dBeta = new float[dimension];
        LayerNorm.Backward(x, gamma, r, mean, rstd, rows, dimension, dx, dGamma, dBeta);
        GradCheck.Assert(x, dx, Loss, step: 1e-3f, tolerance: 5e-3);
        GradCheck.Assert(gamma, dGamma, Loss);
        GradCheck.Assert(beta, dBeta, Loss);
    }
}
