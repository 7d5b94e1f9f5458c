using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class LinearTests
{
    [Fact]
    public void ForwardMatchesAHandComputedProduct()
    {
        // x = [[1, 2]], W = [[1, 0, -1], [2, 1, 0]], b = [0.5, 0, 1] -> y = [5.5, 2, 0].
        float[] x = [1, 2], w = [1, 0, -1, 2, 1, 0], b = [0.5f, 0, 1];
        var y = new float[3];
        Linear.Forward(x, w, b, 1, 2, 3, y);
        Assert.Equal([5.5f, 2f, 0f], y);
    }

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(1, 1, 1)]
    [InlineData(17, 9, 4)]
    public void ForwardMatchesScalarReference(int rows, int inputs, int outputs)
    {
        var x = GradCheck.Random(rows * inputs, 1);
        var w = GradCheck.Random(inputs * outputs, 2);
        var b = GradCheck.Random(outputs, 3);
        var y = new float[rows * outputs];
        Linear.Forward(x, w, b, rows, inputs, outputs, y);
        var expected = new float[rows * outputs];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outputs; o++)
            {
                double sum = b[o];
                for (var i = 0; i < inputs; i++)
                {
                    sum += (double)x[r * inputs + i] * w[i * outputs + o];
                }
                expected[r * outputs + o] = (float)sum;
            }
        }
        GradCheck.AssertClose(expected, y);
    }

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(4, 1, 6)]
    public void BackwardMatchesFiniteDifferences(int rows, int inputs, int outputs)
    {
        var x = GradCheck.Random(rows * inputs, 4);
        var w = GradCheck.Random(inputs * outputs, 5);
        var b = GradCheck.Random(outputs, 6);
        var r = GradCheck.Random(rows * outputs, 7);
        var y = new float[rows * outputs];
        double Loss()
        {
            Linear.Forward(x, w, b, rows, inputs, outputs, y);
            return GradCheck.Dot(r, y);
        }
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        dw[0] = 1f; // accumulates onto existing gradient
        Linear.Backward(x, w, r, rows, inputs, outputs, dx, dw, db);
        dw[0] -= 1f;
        GradCheck.Assert(x, dx, Loss);
        GradCheck.Assert(w, dw, Loss);
        GradCheck.Assert(b, db, Loss);
    }
}
