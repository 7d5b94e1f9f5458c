using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// Row-wise softmax over a row-major rows x columns buffer, numerically stable (the row maximum is subtracted
/// first). Entries of negative infinity get probability 0; a row that is entirely negative infinity yields all
/// zeros. Thread-safe (static).
/// </summary>
public static class Softmax
{
    /// <summary>Writes the softmax of each row of <paramref name="x"/> into <paramref name="y"/> (may alias).</summary>
    public static void Forward(ReadOnlySpan<float> x, int rows, int columns, Span<float> y)
    {
        for (var r = 0; r < rows; r++)
        {
            Row(x.Slice(r * columns, columns), y.Slice(r * columns, columns));
        }
    }

    /// <summary>Softmax of one row into <paramref name="y"/> (may alias <paramref name="x"/>).</summary>
    public static void Row(ReadOnlySpan<float> x, Span<float> y)
    {
        var max = TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max))
        {
            y.Clear();
            return;
        }
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        var sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Multiply(y, 1f / sum, y);
    }

    /// <summary>
    /// Writes <c>dx = y * (dy - sum(dy * y))</c> per row from the saved probabilities <paramref name="y"/>
    /// (<paramref name="dx"/> may alias <paramref name="dy"/>).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int columns, Span<float> dx)
    {
        for (var r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * columns, columns);
            var dyr = dy.Slice(r * columns, columns);
            var dxr = dx.Slice(r * columns, columns);
            var dot = TensorPrimitives.Dot(yr, dyr);
            TensorPrimitives.Subtract(dyr, dot, dxr);
            TensorPrimitives.Multiply(dxr, yr, dxr);
        }
    }
}
