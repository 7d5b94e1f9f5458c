namespace Fresco.Core.Linalg.Quantization;

/// <summary>
/// A row-major float matrix quantized to int8 with one symmetric scale per row (see <see cref="Int8Quantizer"/>):
/// row i ~ codes(i) * Scale(i). Rows are padded with zero codes to <see cref="Stride"/>, a multiple of 64, so
/// SIMD kernels need no column tail. Each row also keeps the sum of its codes, which lets the unsigned-query
/// kernels (vpdpbusd multiplies unsigned by signed bytes) undo the +128 query offset:
/// sum((q + 128) * r) - 128 * sum(r) = sum(q * r). Memory: Rows * (Stride + 8) bytes, about a quarter of fp32.
/// Immutable and thread-safe after construction.
/// </summary>
public sealed class QuantizedMatrix
{
    /// <summary>Largest column count; keeps every unsigned x signed int32 accumulation (|sum| &lt;= 255 * 127 * columns) exact.</summary>
    public const int MaxColumns = 65536;

    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly int[] _rowSums;

    private QuantizedMatrix(int rows, int columns, int stride)
    {
        Rows = rows;
        Columns = columns;
        Stride = stride;
        _codes = new sbyte[(long)rows * stride];
        _scales = new float[rows];
        _rowSums = new int[rows];
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Bytes per stored row: <see cref="Columns"/> rounded up to a multiple of 64.</summary>
    public int Stride { get; }

    /// <summary>Bytes held: codes, scales and row sums.</summary>
    public long MemoryBytes => _codes.LongLength + 4L * _scales.Length + 4L * _rowSums.Length;

    /// <summary>All codes, row-major, <see cref="Stride"/> per row.</summary>
    public ReadOnlySpan<sbyte> Codes => _codes;

    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>Sum of each row's codes.</summary>
    public ReadOnlySpan<int> RowSums => _rowSums;

    /// <summary>The padded codes of one row (length <see cref="Stride"/>).</summary>
    public ReadOnlySpan<sbyte> Row(int row) => _codes.AsSpan(row * Stride, Stride);

    public float Scale(int row) => _scales[row];

    /// <summary>Quantizes a row-major rows x columns matrix, rows in parallel. O(rows * columns).</summary>
    public static unsafe QuantizedMatrix Quantize(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, MaxColumns);
        if (matrix.Length < (long)rows * columns)
        {
            throw new ArgumentException("Matrix is shorter than rows * columns.", nameof(matrix));
        }
        var result = new QuantizedMatrix(rows, columns, (columns + 63) / 64 * 64);
        fixed (float* pointer = matrix)
        {
            var address = (nint)pointer;
            Parallel.For(0, rows, row => result.QuantizeRow(row, new ReadOnlySpan<float>((float*)address + (long)row * columns, columns)));
        }
        return result;
    }

    /// <summary>Writes the approximate float values of one row (<see cref="Columns"/> of them) into <paramref name="destination"/>.</summary>
    public void Dequantize(int row, Span<float> destination)
    {
        if (destination.Length < Columns)
        {
            throw new ArgumentException("Destination is shorter than a row.", nameof(destination));
        }
        var codes = Row(row);
        var scale = _scales[row];
        for (var j = 0; j < Columns; j++)
        {
            destination[j] = codes[j] * scale;
        }
    }

    private void QuantizeRow(int row, ReadOnlySpan<float> values)
    {
        var codes = _codes.AsSpan(row * Stride, Stride);
        _scales[row] = Int8Quantizer.Quantize(values, codes);
        var sum = 0;
        foreach (var code in codes)
        {
            sum += code;
        }
        _rowSums[row] = sum;
    }
}
