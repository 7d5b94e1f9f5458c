using System.Runtime.Intrinsics;
using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class GemmTests
{
    public static TheoryData<int, string> SizesAndKernels()
    {
        var data = new TheoryData<int, string>();
        foreach (var size in new[] { 1, 7, 15, 16, 17, 63, 64, 65, 127, 129 })
        {
            foreach (var kernel in new[] { "Vector512", "Vector256", "Scalar" })
            {
                data.Add(size, kernel);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndKernels))]
    public void MatchesTheNaiveProductOnAwkwardSizes(int size, string kernelName)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        SkipUnsupported(kernel);
        var m = size;
        var n = size * 7 % 130 + 1;
        var k = size * 3 % 97 + 1;
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            Check(kernel, ta, tb, m, n, k, alpha: 1f, beta: 0f, threads: 1);
            Check(kernel, ta, tb, n, m, size, alpha: -0.5f, beta: 2f, threads: 2);
        }
    }

    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Scalar")]
    public void MatchesTheNaiveProductAcrossCacheBlocks(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        SkipUnsupported(kernel);
        Check(kernel, false, false, 301, 530, 600, alpha: 1f, beta: 1f, threads: 2);
        Check(kernel, false, true, 530, 301, 257, alpha: 2f, beta: 0f, threads: 2);
    }

    [Fact]
    public void SmallSingleThreadedProductsReuseAPlanWithoutAllocating()
    {
        // Growing and shrinking shapes through the per-thread cached plan stay correct.
        foreach (var (m, n, k) in new[] { (50, 64, 64), (1, 64, 64), (50, 200, 300), (3, 5, 7), (64, 64, 1) })
        {
            Check(GemmKernel.Auto, false, false, m, n, k, alpha: 1f, beta: 0f, threads: 1);
            Check(GemmKernel.Auto, false, true, m, n, k, alpha: 0.5f, beta: 1f, threads: 1);
        }
        var rng = new Random(8);
        var (a, b, c) = (Random(rng, 50 * 64), Random(rng, 64 * 64), new float[50 * 64]);
        Gemm.Multiply(false, false, 50, 64, 64, 1f, a, 64, b, 64, 0f, c, 64, threads: 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Gemm.Multiply(false, false, 50, 64, 64, 1f, a, 64, b, 64, 0f, c, 64, threads: 1);
            Gemm.Multiply(false, true, 50, 50, 64, 1f, a, 64, a, 64, 0f, c, 50, threads: 1);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SymmetricRankUpdateFillsTheLowerTriangle()
    {
        var rng = new Random(5);
        const int N = 141, K = 300;
        var a = Random(rng, N * K);
        var c = Random(rng, N * N);
        var expected = (float[])c.Clone();
        Naive(false, true, N, N, K, -1f, a, K, a, K, 0.5f, expected, N);
        Gemm.SymmetricRankUpdate(false, N, K, -1f, a, K, 0.5f, c, N, threads: 2);
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                Assert.Equal(expected[i * N + j], c[i * N + j], 0.002f);
            }
        }
    }

    [Fact]
    public void HandComputedProductWithLeadingDimensions()
    {
        // A = [[1, 2], [3, 4]] inside a 2 x 3 buffer, B = [[5, 6], [7, 8]]; A B = [[19, 22], [43, 50]].
        float[] a = [1, 2, -1, 3, 4, -1];
        float[] b = [5, 6, 7, 8];
        float[] c = [1, 1, 9, 1, 1, 9];
        Gemm.Multiply(false, false, 2, 2, 2, 1f, a, 3, b, 2, 1f, c, 3);
        Assert.Equal([20f, 23f, 9f, 44f, 51f, 9f], c);
    }

    [Fact]
    public void TooShortOperandIsRejected()
    {
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, c, 2));
    }

    private static void Check(GemmKernel kernel, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int threads)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        var lda = (ta ? m : k) + 3;
        var ldb = (tb ? k : n) + 1;
        var ldc = n + 2;
        var a = Random(rng, (ta ? k : m) * lda);
        var b = Random(rng, (tb ? n : k) * ldb);
        var c = Random(rng, m * ldc);
        var expected = (float[])c.Clone();
        Naive(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        Gemm.Run(kernel, ta, tb, false, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < ldc; j++)
            {
                var tolerance = j < n ? 1e-4f * (k + 1) : 0f;
                Assert.True(Math.Abs(expected[i * ldc + j] - c[i * ldc + j]) <= tolerance,
                    $"{kernel} ta={ta} tb={tb} {m}x{n}x{k}: C[{i},{j}] = {c[i * ldc + j]}, expected {expected[i * ldc + j]}");
            }
        }
    }

    private static void Naive(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    sum += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                }
                c[i * ldc + j] = (float)(alpha * sum + beta * c[i * ldc + j]);
            }
        }
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        return values;
    }

    private static void SkipUnsupported(GemmKernel kernel)
    {
        Assert.SkipWhen(kernel == GemmKernel.Vector512 && !(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && Vector512.IsHardwareAccelerated), "no AVX-512");
        Assert.SkipWhen(kernel == GemmKernel.Vector256 && !System.Runtime.Intrinsics.X86.Fma.IsSupported, "no FMA");
    }
}
