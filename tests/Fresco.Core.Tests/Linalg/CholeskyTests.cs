using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class CholeskyTests
{
    [Fact]
    public void FactorsAHandComputedMatrix()
    {
        // [[4, 2], [2, 3]] = L L^T with L = [[2, 0], [1, sqrt 2]].
        float[] a = [4, 2, 2, 3];
        Assert.True(Cholesky.Factor(a, 2, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(2f, a[0], 6);
        Assert.Equal(0f, a[1]);
        Assert.Equal(1f, a[2], 6);
        Assert.Equal(MathF.Sqrt(2), a[3], 6);
    }

    [Fact]
    public void InvertsAHandComputedMatrix()
    {
        // inv([[4, 2], [2, 3]]) = [[3, -2], [-2, 4]] / 8.
        float[] a = [4, 2, 2, 3];
        Assert.True(Cholesky.InvertSpd(a, 2, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal([0.375f, -0.25f, -0.25f, 0.5f], a.Select(v => MathF.Round(v, 5)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(129)]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(600)]
    public void InverseTimesMatrixIsIdentity(int n)
    {
        var a = RandomSpd(n, seed: n);
        var inverse = (float[])a.Clone();
        Assert.True(Cholesky.InvertSpd(inverse, n, threads: 2, cancellationToken: TestContext.Current.CancellationToken));
        var product = new float[n * n];
        Gemm.Multiply(false, false, n, n, n, 1f, a, n, inverse, n, 0f, product, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                Assert.True(Math.Abs(product[i * n + j] - (i == j ? 1f : 0f)) < 1e-4f, $"(A inv A)[{i},{j}] = {product[i * n + j]}");
                Assert.Equal(inverse[i * n + j], inverse[j * n + i]);
            }
        }
    }

    [Fact]
    public void FactorReproducesTheMatrixAcrossBlocks()
    {
        const int N = 300;
        var a = RandomSpd(N, seed: 1);
        var l = (float[])a.Clone();
        Assert.True(Cholesky.Factor(l, N, threads: 2, cancellationToken: TestContext.Current.CancellationToken));
        var product = new float[N * N];
        Gemm.Multiply(false, true, N, N, N, 1f, l, N, l, N, 0f, product, N);
        for (var i = 0; i < N * N; i++)
        {
            Assert.True(Math.Abs(product[i] - a[i]) < 1e-3f * Math.Max(1f, Math.Abs(a[i])), $"L L^T differs from A at {i}");
        }
    }

    [Fact]
    public void IndefiniteMatrixIsRefused()
    {
        float[] a = [1, 2, 2, 1];
        Assert.False(Cholesky.Factor(a, 2, cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>A Gram matrix of sparse 0/1 rows plus a ridge, like the ones EASE inverts.</summary>
    private static float[] RandomSpd(int n, int seed)
    {
        var rng = new Random(seed);
        var k = 2 * n + 5;
        var x = new float[k * n];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble() < 0.1 ? 1f : 0f;
        }
        var a = new float[n * n];
        Gemm.Multiply(true, false, n, n, k, 1f, x, n, x, n, 0f, a, n);
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] += 5f;
        }
        return a;
    }
}
