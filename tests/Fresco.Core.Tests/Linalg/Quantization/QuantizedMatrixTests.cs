using Fresco.Core.Linalg.Quantization;
using Xunit;

namespace Fresco.Core.Tests.Linalg.Quantization;

public sealed class QuantizedMatrixTests
{
    [Fact]
    public void QuantizesAHandMatrix()
    {
        // Row 0: scale 1/127; -0.5 * 127 = -63.5 rounds to even (-64); 0.25 * 127 = 31.75 -> 32. Row 1 is all zero.
        var matrix = QuantizedMatrix.Quantize([1f, -0.5f, 0.25f, 0f, 0f, 0f], 2, 3);
        Assert.Equal(64, matrix.Stride);
        Assert.Equal([127, -64, 32], matrix.Row(0)[..3].ToArray());
        Assert.All(matrix.Row(0)[3..].ToArray(), code => Assert.Equal(0, code));
        Assert.Equal(1f / 127f, matrix.Scale(0));
        Assert.Equal(0f, matrix.Scale(1));
        Assert.Equal([95, 0], matrix.RowSums.ToArray());
        Assert.Equal(2 * 64 + 2 * 4 + 2 * 4, matrix.MemoryBytes);
        var row = new float[3];
        matrix.Dequantize(1, row);
        Assert.Equal([0f, 0f, 0f], row);
    }

    [Theory]
    [MemberData(nameof(KernelData.Lengths), MemberType = typeof(KernelData))]
    public void DequantizedValuesAreWithinHalfAScale(int columns)
    {
        const int Rows = 37;
        var values = QuantizationData.Gaussian(Rows * columns, columns);
        values[0] = 1000f;
        var matrix = QuantizedMatrix.Quantize(values, Rows, columns);
        Assert.Equal((columns + 63) / 64 * 64, matrix.Stride);
        var row = new float[columns];
        for (var i = 0; i < Rows; i++)
        {
            matrix.Dequantize(i, row);
            var scale = matrix.Scale(i);
            var codes = matrix.Row(i);
            var sum = 0;
            for (var j = 0; j < columns; j++)
            {
                var x = values[i * columns + j];
                Assert.True(Math.Abs(x - row[j]) <= scale * 0.5f * (1f + 1e-5f), $"row {i} column {j}: {x} vs {row[j]} (scale {scale})");
                Assert.InRange(codes[j], -127, 127);
                sum += codes[j];
            }
            Assert.Equal(sum, matrix.RowSums[i]);
            Assert.Equal(127, Math.Abs(Max(codes)));
        }
    }

    [Fact]
    public void UnsignedQueryCodesAreSignedCodesPlus128()
    {
        var values = QuantizationData.Gaussian(65, 3);
        var signed = new sbyte[128];
        var unsigned = new byte[128];
        var scale = Int8Quantizer.Quantize(values, signed);
        Assert.Equal(scale, Int8Quantizer.QuantizeUnsigned(values, unsigned));
        for (var j = 0; j < 128; j++)
        {
            Assert.Equal(signed[j] + 128, unsigned[j]);
        }
        Assert.Equal(128, unsigned[127]);
    }

    private static int Max(ReadOnlySpan<sbyte> codes)
    {
        var best = 0;
        foreach (var code in codes)
        {
            best = Math.Abs(code) > Math.Abs(best) ? code : best;
        }
        return best;
    }
}
