using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class DropoutTests
{
    [Fact]
    public void SameSeedGivesSameMaskAndOtherSeedsDiffer()
    {
        var x = GradCheck.Random(129, 1);
        float[] mask1 = new float[129], mask2 = new float[129], mask3 = new float[129], y = new float[129];
        Dropout.Forward(x, 0.3f, 42, mask1, y);
        Dropout.Forward(x, 0.3f, 42, mask2, y);
        Dropout.Forward(x, 0.3f, 43, mask3, y);
        Assert.Equal(mask1, mask2);
        Assert.NotEqual(mask1, mask3);
    }

    [Fact]
    public void ZeroProbabilityKeepsEverything()
    {
        var x = GradCheck.Random(65, 2);
        float[] mask = new float[65], y = new float[65];
        Dropout.Forward(x, 0f, 7, mask, y);
        Assert.All(mask, m => Assert.Equal(1f, m));
        Assert.Equal(x, y);
    }

    [Fact]
    public void KeepsAboutOneMinusPAndScalesInversely()
    {
        const int n = 20_000;
        const float p = 0.25f;
        var x = new float[n];
        Array.Fill(x, 1f);
        float[] mask = new float[n], y = new float[n];
        Dropout.Forward(x, p, 123, mask, y);
        var kept = mask.Count(m => m != 0f);
        Assert.InRange(kept, 0.73 * n, 0.77 * n); // 3 standard deviations is about 0.009 n
        Assert.All(mask, m => Assert.True(m == 0f || m == 1f / (1f - p)));
        Assert.InRange(y.Average(), 0.97, 1.03);
    }

    [Fact]
    public void BackwardMultipliesByTheMask()
    {
        var x = GradCheck.Random(17, 3);
        var dy = GradCheck.Random(17, 4);
        float[] mask = new float[17], y = new float[17], dx = new float[17];
        Dropout.Forward(x, 0.5f, 9, mask, y);
        Dropout.Backward(dy, mask, dx);
        for (var i = 0; i < 17; i++)
        {
            Assert.Equal(dy[i] * mask[i], dx[i]);
            Assert.Equal(x[i] * mask[i], y[i]);
        }
    }
}
