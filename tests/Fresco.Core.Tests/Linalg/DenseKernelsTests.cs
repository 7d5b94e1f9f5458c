using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class DenseKernelsTests
{
    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void MultiplyTransposedMatchesTheScalarProduct(int n)
    {
        var a = KernelData.Random(n * n, n);
        var x = KernelData.Random(n, n + 1);
        var expected = new float[n];
        for (var j = 0; j < n; j++)
        {
            for (var k = 0; k < n; k++)
            {
                expected[j] += a[k * n + j] * x[k];
            }
        }
        var actual = new float[n];
        DenseKernels.MultiplyTransposed(a, n, x, actual);
        KernelData.AssertClose(expected, actual);
    }

    [Fact]
    public void MultiplyTransposedOfAHandMatrix()
    {
        float[] a = [1, 2, 3, 4];
        var y = new float[2];
        DenseKernels.MultiplyTransposed(a, 2, [1f, 10f], y);
        Assert.Equal([31f, 42f], y);
    }

    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void GramMatchesTheScalarSum(int n)
    {
        foreach (var rows in new[] { 1, 3, 4, 9, 50 })
        {
            var y = KernelData.Random(rows * n, rows * 100 + n);
            var expected = ScalarGram(y, rows, n);
            var actual = new float[n * n];
            DenseKernels.Gram(y, rows, n, actual);
            KernelData.AssertClose(expected, actual);
        }
    }

    [Fact]
    public void ParallelGramEqualsTheSerialOneAtARealSize()
    {
        const int Rows = 5000, N = 64;
        var y = KernelData.Random(Rows * N, 3);
        var serial = new float[N * N];
        DenseKernels.Gram(y, Rows, N, serial);
        var parallel = new float[N * N];
        DenseKernels.Gram(y, Rows, N, parallel, threads: 4);
        KernelData.AssertClose(ScalarGram(y, Rows, N), parallel, 1e-3f);
        KernelData.AssertClose(serial, parallel, 1e-3f);
    }

    [Fact]
    public void AddGramAccumulates()
    {
        float[] result = [1f, 0f, 0f, 1f];
        DenseKernels.AddGram([1f, 2f, 3f, 4f], 2, 2, result);
        Assert.Equal([11f, 14f, 14f, 21f], result);
    }

    [Fact]
    public void AddOuterAddsAScaledRankOneMatrix()
    {
        var a = new float[4];
        DenseKernels.AddOuter([1f, 2f], 3f, a);
        Assert.Equal([3f, 6f, 6f, 12f], a);
    }

    private static float[] ScalarGram(float[] y, int rows, int n)
    {
        var result = new float[n * n];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    result[i * n + j] += y[r * n + i] * y[r * n + j];
                }
            }
        }
        return result;
    }
}
