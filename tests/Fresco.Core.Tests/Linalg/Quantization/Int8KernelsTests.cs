using Fresco.Core.Linalg.Quantization;
using Xunit;

namespace Fresco.Core.Tests.Linalg.Quantization;

public sealed class Int8KernelsTests
{
    public static TheoryData<Int8Path, int> PathsAndLengths()
    {
        var data = new TheoryData<Int8Path, int>();
        foreach (var path in Enum.GetValues<Int8Path>())
        {
            foreach (var length in (int[])[1, 7, 15, 16, 17, 63, 64, 65, 127, 128, 129])
            {
                data.Add(path, length);
            }
        }
        return data;
    }

    [Fact]
    public void DotOfAHandVector() =>
        Assert.Equal(1 * 4 + -2 * 5 + 3 * -6, Int8Kernels.Dot([1, -2, 3], [4, 5, -6]));

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void DotMatchesTheScalarReference(Int8Path path, int length)
    {
        RequireSupported(path);
        var random = new Random(length);
        var a = RandomCodes(random, length, -128);
        var b = RandomCodes(random, length, -128);
        Assert.Equal(Int8Kernels.Dot(Int8Path.Scalar, a, b), Int8Kernels.Dot(path, a, b));
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void DotOfExtremeValuesDoesNotSaturate(Int8Path path, int length)
    {
        RequireSupported(path);
        var max = Filled(length, (sbyte)127);
        var min = Filled(length, (sbyte)-127);
        var lowest = Filled(length, sbyte.MinValue);
        Assert.Equal(127 * 127 * length, Int8Kernels.Dot(path, max, max));
        Assert.Equal(-127 * 127 * length, Int8Kernels.Dot(path, max, min));
        Assert.Equal(127 * 127 * length, Int8Kernels.Dot(path, min, min));
        Assert.Equal(128 * 128 * length, Int8Kernels.Dot(path, lowest, lowest));
        Assert.Equal(-128 * 127 * length, Int8Kernels.Dot(path, lowest, max));
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void ScoreAllMatchesTheScalarReferenceBitForBit(Int8Path path, int columns)
    {
        RequireSupported(path);
        foreach (var rows in (int[])[1, 3, 4, 5, 9])
        {
            var items = QuantizedMatrix.Quantize(QuantizationData.Gaussian(rows * columns, rows + columns), rows, columns);
            var query = new byte[items.Stride];
            var queryScale = Int8Quantizer.QuantizeUnsigned(QuantizationData.Gaussian(columns, columns), query);
            var expected = new float[rows];
            var actual = new float[rows];
            Int8Kernels.ScoreAll(Int8Path.Scalar, items, query, queryScale, expected);
            Int8Kernels.ScoreAll(path, items, query, queryScale, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndLengths))]
    public void ScoreAllOfExtremeCodesIsExact(Int8Path path, int columns)
    {
        RequireSupported(path);
        // Rows alternate +1 and -1 (codes 127 and -127, scale 1/127); the query is all +1 (unsigned code 255).
        const int Rows = 6;
        var values = new float[Rows * columns];
        for (var i = 0; i < Rows; i++)
        {
            values.AsSpan(i * columns, columns).Fill(i % 2 == 0 ? 1f : -1f);
        }
        var items = QuantizedMatrix.Quantize(values, Rows, columns);
        var query = new byte[items.Stride];
        var queryScale = Int8Quantizer.QuantizeUnsigned(Filled(columns, 1f), query);
        Assert.Equal(255, query[0]);
        var scores = new float[Rows];
        Int8Kernels.ScoreAll(path, items, query, queryScale, scores);
        var scale = 1f / 127f;
        for (var i = 0; i < Rows; i++)
        {
            var dot = (i % 2 == 0 ? 1 : -1) * 127 * 127 * columns;
            Assert.Equal((float)dot * scale * scale, scores[i]);
            Assert.Equal(i % 2 == 0 ? columns : -columns, scores[i], columns * 1e-5f);
        }
    }

    [Fact]
    public void WarmedScoreAllAllocatesNothing()
    {
        var items = QuantizedMatrix.Quantize(QuantizationData.Gaussian(100 * 64, 5), 100, 64);
        var user = QuantizationData.Gaussian(64, 6);
        var query = new byte[items.Stride];
        var scores = new float[100];
        Int8Kernels.ScoreAll(items, query, Int8Quantizer.QuantizeUnsigned(user, query), scores);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Int8Kernels.ScoreAll(items, query, Int8Quantizer.QuantizeUnsigned(user, query), scores);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void RequireSupported(Int8Path path)
    {
        if (!Int8Kernels.IsSupported(path))
        {
            Assert.Skip($"{path} is not supported on this machine.");
        }
    }

    private static sbyte[] RandomCodes(Random random, int length, int min)
    {
        var codes = new sbyte[length];
        for (var i = 0; i < length; i++)
        {
            codes[i] = (sbyte)random.Next(min, 128);
        }
        return codes;
    }

    private static T[] Filled<T>(int length, T value)
    {
        var values = new T[length];
        values.AsSpan().Fill(value);
        return values;
    }
}
