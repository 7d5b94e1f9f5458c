namespace Fresco.Core.Data;

/// <summary>What to do when the same (row, column) is added more than once.</summary>
public enum DuplicatePolicy
{
    Sum,
    Last,
    Max,
}

/// <summary>Collects (row, column, value) triplets and builds a <see cref="CsrMatrix"/>. Not thread-safe.</summary>
public sealed class CsrBuilder
{
    private readonly int _rows;
    private readonly int _columns;
    private int[] _rowIndex;
    private int[] _columnIndex;
    private float[] _value;
    private int _count;

    public CsrBuilder(int rows, int columns, int capacity = 16)
    {
        _rows = rows;
        _columns = columns;
        capacity = Math.Max(capacity, 16);
        _rowIndex = new int[capacity];
        _columnIndex = new int[capacity];
        _value = new float[capacity];
    }

    public void Add(int row, int column, float value)
    {
        if ((uint)row >= (uint)_rows || (uint)column >= (uint)_columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside a {_rows} x {_columns} matrix.");
        }
        if (_count == _rowIndex.Length)
        {
            var size = _count * 2;
            Array.Resize(ref _rowIndex, size);
            Array.Resize(ref _columnIndex, size);
            Array.Resize(ref _value, size);
        }
        _rowIndex[_count] = row;
        _columnIndex[_count] = column;
        _value[_count] = value;
        _count++;
    }

    /// <summary>
    /// Builds the matrix with ascending, distinct columns per row. Duplicates are merged by <paramref name="policy"/>
    /// in insertion order; with <paramref name="dropNonPositive"/>, merged entries &lt;= 0 are left out.
    /// </summary>
    public CsrMatrix Build(DuplicatePolicy policy = DuplicatePolicy.Sum, bool dropNonPositive = false)
    {
        // Counting sort by row keeps insertion order within a row; then each row is sorted by column (stable).
        var pointers = new long[_rows + 1];
        for (var i = 0; i < _count; i++)
        {
            pointers[_rowIndex[i] + 1]++;
        }
        for (var r = 0; r < _rows; r++)
        {
            pointers[r + 1] += pointers[r];
        }
        var next = pointers[..^1];
        var columns = new int[_count];
        var values = new float[_count];
        var order = new int[_count];
        for (var i = 0; i < _count; i++)
        {
            var target = next[_rowIndex[i]]++;
            columns[target] = _columnIndex[i];
            values[target] = _value[i];
            order[target] = i;
        }

        var outPointers = new long[_rows + 1];
        long write = 0;
        for (var r = 0; r < _rows; r++)
        {
            var start = (int)pointers[r];
            var length = (int)(pointers[r + 1] - start);
            SortRow(columns.AsSpan(start, length), values.AsSpan(start, length), order.AsSpan(start, length));
            var read = start;
            var end = start + length;
            while (read < end)
            {
                var column = columns[read];
                var value = values[read];
                read++;
                while (read < end && columns[read] == column)
                {
                    value = policy switch
                    {
                        DuplicatePolicy.Sum => value + values[read],
                        DuplicatePolicy.Max => Math.Max(value, values[read]),
                        _ => values[read],
                    };
                    read++;
                }
                if (!dropNonPositive || value > 0f)
                {
                    columns[write] = column;
                    values[write] = value;
                    write++;
                }
            }
            outPointers[r + 1] = write;
        }
        return new CsrMatrix(_rows, _columns, outPointers, columns[..(int)write], values[..(int)write]);
    }

    private static void SortRow(Span<int> columns, Span<float> values, Span<int> order)
    {
        for (var i = 1; i < columns.Length; i++)
        {
            if (columns[i] < columns[i - 1] || (columns[i] == columns[i - 1] && order[i] < order[i - 1]))
            {
                // Sort by (column, insertion order) so that duplicates merge in the order they were added.
                var keys = new (int Column, int Order, float Value)[columns.Length];
                for (var k = 0; k < keys.Length; k++)
                {
                    keys[k] = (columns[k], order[k], values[k]);
                }
                Array.Sort(keys, static (a, b) => a.Column != b.Column ? a.Column.CompareTo(b.Column) : a.Order.CompareTo(b.Order));
                for (var k = 0; k < keys.Length; k++)
                {
                    (columns[k], order[k], values[k]) = keys[k];
                }
                return;
            }
        }
    }
}
