using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class SparseProjectionsTests
{
    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(128)]
    [InlineData(256)]
    public void MatchesTheScalarSum(int dim)
    {
        const int Rows = 40;
        var factors = KernelData.Random(Rows * dim, dim);
        int[] indices = [0, 3, 17, 39, 20];
        float[] weights = [1f, 2f, 0.5f, 3f, 1f];
        var x = KernelData.Random(dim, dim + 1);
        var target = KernelData.Random(dim, dim + 2);
        var expected = (float[])target.Clone();
        for (var j = 0; j < indices.Length; j++)
        {
            var dot = 0f;
            for (var k = 0; k < dim; k++)
            {
                dot += factors[indices[j] * dim + k] * x[k];
            }
            var coefficient = 1f + 4f * weights[j] - 4f * weights[j] * dot;
            for (var k = 0; k < dim; k++)
            {
                expected[k] += coefficient * factors[indices[j] * dim + k];
            }
        }
        SparseProjections.Accumulate(factors, dim, indices, weights, 1f, 4f, -4f, x, target);
        KernelData.AssertClose(expected, target, 1e-3f);
    }

    [Fact]
    public void AnIndexOutsideTheMatrixThrows()
    {
        var factors = new float[64 * 2];
        var target = new float[64];
        Assert.ThrowsAny<ArgumentException>(() => SparseProjections.Accumulate(factors, 64, [2], [1f], 1f, 1f, 1f, new float[64], target));
    }
}
