using Fresco.Core.Nn;
using Fresco.Core.Tests.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Nn;

/// <summary>The vectorized Nn kernels against scalar double references on the awkward lengths.</summary>
public sealed class NnKernelLengthTests
{
    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void SoftmaxRowMatchesScalarReference(int n)
    {
        var x = GradCheck.Random(n, n, 20f);
        var y = new float[n];
        Softmax.Row(x, y);
        double max = x.Max(), sum = x.Sum(v => Math.Exp(v - max));
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(Math.Exp(x[i] - max) / sum, y[i], 6);
        }
    }

    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void LayerNormRowMatchesScalarReference(int n)
    {
        var x = GradCheck.Random(n, n, 5f);
        var gamma = GradCheck.Random(n, n + 1);
        var beta = GradCheck.Random(n, n + 2);
        var y = new float[n];
        float[] mean = new float[1], rstd = new float[1];
        LayerNorm.Forward(x, gamma, beta, 1, n, y, mean, rstd);
        var mu = x.Average(v => (double)v);
        var s = 1.0 / Math.Sqrt(x.Average(v => (v - mu) * (v - mu)) + 1e-5);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal((x[i] - mu) * s * gamma[i] + beta[i], y[i], 4);
        }
    }

    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void CrossEntropyRowMatchesScalarReference(int n)
    {
        var logits = GradCheck.Random(n, n, 10f);
        var target = n / 2;
        var grad = new float[n];
        var loss = CrossEntropy.Compute(logits, [target], 1, n, grad);
        double max = logits.Max(), sum = logits.Sum(v => Math.Exp(v - max));
        Assert.Equal(Math.Log(sum) - (logits[target] - max), loss, 4);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(Math.Exp(logits[i] - max) / sum - (i == target ? 1 : 0), grad[i], 5);
        }
    }

    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    [InlineData(300)]
    [InlineData(513)]
    public void GeluMatchesScalarReference(int n)
    {
        var x = GradCheck.Random(n, n, 6f);
        var dy = GradCheck.Random(n, n + 1);
        float[] y = new float[n], dx = new float[n];
        Gelu.Forward(x, y);
        Gelu.Backward(x, dy, dx);
        var s = Math.Sqrt(2 / Math.PI);
        for (var i = 0; i < n; i++)
        {
            double v = x[i], t = Math.Tanh(s * (v + 0.044715 * v * v * v));
            Assert.Equal(0.5 * v * (1 + t), y[i], 2e-5 * Math.Max(1, Math.Abs(v)));
            var derivative = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * s * (1 + 3 * 0.044715 * v * v);
            Assert.Equal(dy[i] * derivative, dx[i], 2e-5);
        }
    }

    [Fact]
    public void WarmedElementwiseKernelsAllocateNothing()
    {
        // Gemm allocates a small plan object per call, so the matrix layers are not covered here.
        const int rows = 6, dimension = 17;
        var x = GradCheck.Random(rows * dimension, 1);
        var dy = GradCheck.Random(x.Length, 2);
        float[] y = new float[x.Length], dx = new float[x.Length], mask = new float[x.Length];
        float[] gamma = new float[dimension], beta = new float[dimension], dGamma = new float[dimension], dBeta = new float[dimension];
        float[] mean = new float[rows], rstd = new float[rows], table = new float[4 * dimension];
        int[] targets = [0, 3, -1, 16, 2, 1];
        int[] ids = [3, 0, 3, 1, 2, 0];
        void Step()
        {
            LayerNorm.Forward(x, gamma, beta, rows, dimension, y, mean, rstd);
            LayerNorm.Backward(x, gamma, dy, mean, rstd, rows, dimension, dx, dGamma, dBeta);
            Softmax.Forward(x, rows, dimension, y);
            Softmax.Backward(y, dy, rows, dimension, dx);
            Gelu.Forward(x, y);
            Gelu.Backward(x, dy, dx);
            Relu.Forward(x, y);
            Relu.Backward(x, dy, dx);
            Dropout.Forward(x, 0.1f, 5, mask, y);
            Dropout.Backward(dy, mask, dx);
            CrossEntropy.Compute(x, targets, rows, dimension, dx);
            Embedding.Forward(table, dimension, ids, y);
            Embedding.Backward(dy, dimension, ids, table);
        }
        Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
