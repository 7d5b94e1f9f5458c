using System.Runtime.CompilerServices;

namespace Fresco.Core.Data;

/// <summary>
/// An immutable sparse matrix in compressed sparse row form: row r holds the column indices
/// <c>Columns[RowPointers[r]..RowPointers[r+1]]</c> (ascending, distinct) with their values. Row pointers are
/// <c>long</c> so that a matrix may hold more than 2^31 non-zeros. Thread-safe (immutable).
/// </summary>
public sealed class CsrMatrix
{
    private readonly long[] _rowPointers;
    private readonly int[] _columns;
    private readonly float[] _values;

    public CsrMatrix(int rows, int columns, long[] rowPointers, int[] columnIndices, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (rowPointers.Length != rows + 1 || rowPointers[0] != 0 || rowPointers[rows] != columnIndices.Length
            || values.Length != columnIndices.Length)
        {
            throw new ArgumentException("Row pointers, column indices and values do not describe one matrix.");
        }
        Rows = rows;
        Columns = columns;
        _rowPointers = rowPointers;
        _columns = columnIndices;
        _values = values;
    }

    public int Rows { get; }

    public int Columns { get; }

    public long NonZeros => _rowPointers[Rows];

    public ReadOnlySpan<long> RowPointers => _rowPointers;

    public ReadOnlySpan<int> ColumnIndices => _columns;

    public ReadOnlySpan<float> Values => _values;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int RowLength(int row) => (int)(_rowPointers[row + 1] - _rowPointers[row]);

    /// <summary>The column indices of row <paramref name="row"/>, ascending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<int> RowIndices(int row)
    {
        var start = _rowPointers[row];
        return new ReadOnlySpan<int>(_columns, (int)start, (int)(_rowPointers[row + 1] - start));
    }

    /// <summary>The values of row <paramref name="row"/>, aligned with <see cref="RowIndices"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> RowValues(int row)
    {
        var start = _rowPointers[row];
        return new ReadOnlySpan<float>(_values, (int)start, (int)(_rowPointers[row + 1] - start));
    }

    /// <summary>The value at (row, column), or 0 when the entry is absent. O(log row length).</summary>
    public float Get(int row, int column)
    {
        var position = RowIndices(row).BinarySearch(column);
        return position >= 0 ? RowValues(row)[position] : 0f;
    }

    /// <summary>The transpose, in O(non-zeros + rows + columns).</summary>
    public CsrMatrix Transpose()
    {
        var pointers = new long[Columns + 1];
        foreach (var column in _columns)
        {
            pointers[column + 1]++;
        }
        for (var c = 0; c < Columns; c++)
        {
            pointers[c + 1] += pointers[c];
        }
        var next = pointers[..^1];
        var columns = new int[_columns.Length];
        var values = new float[_values.Length];
        for (var r = 0; r < Rows; r++)
        {
            for (var p = _rowPointers[r]; p < _rowPointers[r + 1]; p++)
            {
                var target = next[_columns[p]]++;
                columns[target] = r;
                values[target] = _values[p];
            }
        }
        return new CsrMatrix(Columns, Rows, pointers, columns, values);
    }

    /// <summary>A copy with <paramref name="rows"/> rows and <paramref name="columns"/> columns (only growing).</summary>
    public CsrMatrix Resize(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, Rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, Columns);
        var pointers = new long[rows + 1];
        _rowPointers.CopyTo(pointers, 0);
        pointers.AsSpan(Rows + 1).Fill(NonZeros);
        return new CsrMatrix(rows, columns, pointers, _columns, _values);
    }

    /// <summary>Number of non-zeros in each column.</summary>
    public int[] ColumnCounts()
    {
        var counts = new int[Columns];
        foreach (var column in _columns)
        {
            counts[column]++;
        }
        return counts;
    }
}
