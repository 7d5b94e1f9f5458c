using Fresco.Core.Data;

namespace Fresco.Core.Linalg;

/// <summary>
/// The dense item x item Gram matrix X^T X of a sparse users x items matrix, accumulated through the users'
/// rows: O(sum over users of row length squared), parallel over items (each thread owns whole rows of the
/// result, so the output is deterministic). Faster than a dense GEMM for interaction data, whose density is
/// well under 1%. Thread-safe (static).
/// </summary>
public static class SparseGram
{
    /// <summary>Writes X^T X (items x items, row-major) into <paramref name="gram"/>.</summary>
    public static void Compute(CsrMatrix userItems, Span<float> gram, int threads = 0)
    {
        var items = userItems.Columns;
        if ((long)items * items > gram.Length)
        {
            throw new ArgumentException($"The Gram buffer holds {gram.Length} values, fewer than {items} x {items}.", nameof(gram));
        }
        gram[..(items * items)].Clear();
        var itemUsers = userItems.Transpose();
        unsafe
        {
            fixed (float* pointer = gram)
            {
                var address = (nint)pointer;
                var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
                Parallel.For(0, items, options, item => AccumulateRow(userItems, itemUsers, item, new Span<float>((float*)address + (long)item * items, items)));
            }
        }
    }

    private static void AccumulateRow(CsrMatrix userItems, CsrMatrix itemUsers, int item, Span<float> row)
    {
        var users = itemUsers.RowIndices(item);
        var userWeights = itemUsers.RowValues(item);
        for (var u = 0; u < users.Length; u++)
        {
            var weight = userWeights[u];
            var columns = userItems.RowIndices(users[u]);
            var values = userItems.RowValues(users[u]);
            for (var p = 0; p < columns.Length; p++)
            {
                row[columns[p]] += weight * values[p];
            }
        }
    }
}
