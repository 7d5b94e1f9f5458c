using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class PanelMatrixTests
{
    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void MultiplyMatchesRowDotProducts(int dim)
    {
        foreach (var rows in new[] { 1, 15, 16, 17, 33, 64, 129 })
        {
            foreach (var count in new[] { 1, 3, 4, 5, 9 })
            {
                var matrix = KernelData.Random(rows * dim, rows + dim);
                var vectors = KernelData.Random(count * dim, count);
                var stride = rows + 3;
                var expected = new float[count * stride];
                for (var u = 0; u < count; u++)
                {
                    for (var r = 0; r < rows; r++)
                    {
                        var sum = 0f;
                        for (var k = 0; k < dim; k++)
                        {
                            sum += vectors[u * dim + k] * matrix[r * dim + k];
                        }
                        expected[u * stride + r] = sum;
                    }
                }
                var panels = new PanelMatrix(matrix, rows, dim);
                var actual = new float[count * stride];
                panels.Multiply(vectors, count, actual, stride);
                KernelData.AssertClose(expected, actual, 1e-3f);
                var scalar = new float[count * stride];
                panels.MultiplyScalar(vectors, count, scalar, stride);
                KernelData.AssertClose(expected, scalar, 1e-3f);
            }
        }
    }

    [Fact]
    public void RealSizeBlockMatchesTheScalarReference()
    {
        const int Rows = 1000, Dim = 64, Count = 64;
        var panels = new PanelMatrix(KernelData.Random(Rows * Dim, 1), Rows, Dim);
        var vectors = KernelData.Random(Count * Dim, 2);
        var expected = new float[Count * Rows];
        panels.MultiplyScalar(vectors, Count, expected, Rows);
        var actual = new float[Count * Rows];
        panels.Multiply(vectors, Count, actual, Rows);
        KernelData.AssertClose(expected, actual, 1e-3f);
    }

    [Fact]
    public void WritesNothingPastTheLastRow()
    {
        var panels = new PanelMatrix([1f, 2f, 3f], 3, 1);
        var result = new float[5];
        result[3] = 42f;
        result[4] = 42f;
        panels.Multiply([2f], 1, result, 3);
        Assert.Equal([2f, 4f, 6f, 42f, 42f], result);
    }
}
