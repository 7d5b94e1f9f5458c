using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class PairwiseSgdTests
{
    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void MatchesTheScalarUpdate(int dim)
    {
        var u = KernelData.Random(dim, 1);
        var p = KernelData.Random(dim, 2);
        var n = KernelData.Random(dim, 3);
        float bp = 0.3f, bn = -0.2f, lr = 0.05f, reg = 0.01f;
        var x = bp - bn;
        for (var k = 0; k < dim; k++)
        {
            x += u[k] * (p[k] - n[k]);
        }
        var z = 1f / (1f + MathF.Exp(x));
        var eu = new float[dim];
        var ep = new float[dim];
        var en = new float[dim];
        for (var k = 0; k < dim; k++)
        {
            eu[k] = u[k] + lr * (z * (p[k] - n[k]) - reg * u[k]);
            ep[k] = p[k] + lr * (z * u[k] - reg * p[k]);
            en[k] = n[k] + lr * (-z * u[k] - reg * n[k]);
        }
        var ebp = bp + lr * (z - reg * bp);
        var ebn = bn + lr * (-z - reg * bn);
        var probability = PairwiseSgd.Step(u, p, n, ref bp, ref bn, lr, reg);
        Assert.Equal(1f - z, probability, 5);
        KernelData.AssertClose(eu, u, 1e-5f);
        KernelData.AssertClose(ep, p, 1e-5f);
        KernelData.AssertClose(en, n, 1e-5f);
        Assert.Equal(ebp, bp, 5);
        Assert.Equal(ebn, bn, 5);
    }

    [Fact]
    public void AStepRaisesThePositiveAboveTheNegative()
    {
        float[] u = [1f, 0f];
        float[] p = [0f, 0f];
        float[] n = [0f, 0f];
        float bp = 0f, bn = 0f;
        var before = PairwiseSgd.Step(u, p, n, ref bp, ref bn, 0.1f, 0f);
        Assert.Equal(0.5f, before, 6);
        Assert.Equal([0.05f, 0f], p);
        Assert.Equal([-0.05f, 0f], n);
        Assert.Equal(0.05f, bp, 6);
    }
}
