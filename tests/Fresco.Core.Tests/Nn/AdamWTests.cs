using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class AdamWTests
{
    [Fact]
    public void FirstStepMatchesHandComputedValues()
    {
        // Step 1: mhat = g, vhat = g^2, so w <- w (1 - lr wd) - lr g / (|g| + eps).
        var weight = new NnParameter("w", [1f, -2f]);
        var bias = new NnParameter("b", [0.5f], decay: false);
        weight.Grad[0] = 0.5f;
        weight.Grad[1] = -4f;
        bias.Grad[0] = 2f;
        var optimizer = new AdamW([weight, bias], learningRate: 0.1f, weightDecay: 0.1f, epsilon: 0f);
        optimizer.Step();
        Assert.Equal(1f * 0.99f - 0.1f, weight.Value[0], 6);
        Assert.Equal(-2f * 0.99f + 0.1f, weight.Value[1], 6);
        Assert.Equal(0.5f - 0.1f, bias.Value[0], 6);
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void SecondStepMatchesHandComputedValues()
    {
        // g1 = 1, g2 = -1, beta1 = 0.9, beta2 = 0.999, no decay:
        // step 1 moves -lr; m2 = 0.09 - 0.1 = -0.01, v2 = 0.000999 + 0.001 = 0.001999,
        // mhat = -0.01 / 0.19, vhat = 0.001999 / 0.001999 (1 - 0.999^2 = 0.001999) = 1 -> step = +lr * 0.0526316.
        var p = new NnParameter("p", [0f], decay: false);
        var optimizer = new AdamW([p], learningRate: 0.01f, epsilon: 0f);
        p.Grad[0] = 1f;
        optimizer.Step();
        Assert.Equal(-0.01f, p.Value[0], 6);
        p.Grad[0] = -1f;
        optimizer.Step();
        Assert.Equal(-0.01f + 0.01f * (0.01f / 0.19f), p.Value[0], 6);
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        var a = new NnParameter("a", 3);
        var b = new NnParameter("b", 2);
        a.Grad[1] = 1f;
        b.Grad[0] = 2f;
        new AdamW([a, b]).ZeroGrad();
        Assert.All(a.Grad, g => Assert.Equal(0f, g));
        Assert.All(b.Grad, g => Assert.Equal(0f, g));
    }
}
