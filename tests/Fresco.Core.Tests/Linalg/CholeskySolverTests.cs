using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class CholeskySolverTests
{
    [Fact]
    public void SolvesAHandComputedSystem()
    {
        // A = [[4, 2], [2, 3]], b = [2, 5] -> x = [-0.5, 2].
        float[] a = [4, 2, 2, 3];
        Assert.True(CholeskySolver.TryFactor(a, 2));
        Assert.Equal(2f, a[0], 6);
        Assert.Equal(1f, a[2], 6);
        Assert.Equal(MathF.Sqrt(2f), a[3], 6);
        float[] b = [2, 5];
        CholeskySolver.Solve(a, 2, b);
        Assert.Equal(-0.5f, b[0], 5);
        Assert.Equal(2f, b[1], 5);
    }

    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void SolutionSatisfiesTheSystem(int n)
    {
        var y = KernelData.Random(3 * n * n, n);
        var a = new float[n * n];
        DenseKernels.Gram(y, 3 * n, n, a);
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] += 1f;
        }
        var original = (float[])a.Clone();
        var b = KernelData.Random(n, n + 7);
        var x = (float[])b.Clone();
        Assert.True(CholeskySolver.TryFactor(a, n));
        CholeskySolver.Solve(a, n, x);
        var ax = new float[n];
        DenseKernels.MultiplyTransposed(original, n, x, ax);
        KernelData.AssertClose(b, ax, 1e-3f);
    }

    [Fact]
    public void RejectsAMatrixThatIsNotPositiveDefinite()
    {
        float[] a = [1, 2, 2, 1];
        Assert.False(CholeskySolver.TryFactor(a, 2));
    }
}
