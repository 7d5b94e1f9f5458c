using Fresco.Core.Data;
using Fresco.Core.Linalg;

namespace Fresco.Models.LightGcn;

/// <summary>
/// The symmetrically normalised user-item graph of LightGCN, <c>A_ui = 1 / sqrt(d_u d_i)</c> for every observed pair
/// (d: degrees of the binary graph), in both directions, and the propagation <c>E^(k+1) = A E^(k)</c> over it
/// (users from items, items from users) through the SIMD sparse kernel of ALS. Immutable; <see cref="Propagate"/> is
/// thread-safe for distinct destinations.
/// </summary>
internal sealed class LightGcnGraph
{
    private const int RowsPerTask = 64;

    private LightGcnGraph(CsrMatrix userItems, CsrMatrix itemUsers)
    {
        UserItems = userItems;
        ItemUsers = itemUsers;
    }

    /// <summary>Users x items, values 1 / sqrt(d_u d_i).</summary>
    public CsrMatrix UserItems { get; }

    /// <summary>Items x users, the transpose of <see cref="UserItems"/>.</summary>
    public CsrMatrix ItemUsers { get; }

    /// <summary>The graph of the positive pairs of <paramref name="interactions"/> (users x items); weights count only as present.</summary>
    public static LightGcnGraph Create(CsrMatrix interactions)
    {
        var itemDegrees = new int[interactions.Columns];
        var pointers = new long[interactions.Rows + 1];
        for (var u = 0; u < interactions.Rows; u++)
        {
            var row = interactions.RowIndices(u);
            var weights = interactions.RowValues(u);
            for (var k = 0; k < row.Length; k++)
            {
                if (weights[k] > 0f)
                {
                    itemDegrees[row[k]]++;
                    pointers[u + 1]++;
                }
            }
            pointers[u + 1] += pointers[u];
        }
        var columns = new int[pointers[^1]];
        var values = new float[columns.Length];
        for (var u = 0; u < interactions.Rows; u++)
        {
            var row = interactions.RowIndices(u);
            var weights = interactions.RowValues(u);
            var degree = (float)(pointers[u + 1] - pointers[u]);
            var at = pointers[u];
            for (var k = 0; k < row.Length; k++)
            {
                if (weights[k] > 0f)
                {
                    columns[at] = row[k];
                    values[at++] = 1f / MathF.Sqrt(degree * itemDegrees[row[k]]);
                }
            }
        }
        var userItems = new CsrMatrix(interactions.Rows, interactions.Columns, pointers, columns, values);
        return new LightGcnGraph(userItems, userItems.Transpose());
    }

    /// <summary>
    /// One layer in both directions: <paramref name="nextUsers"/> = A <paramref name="items"/>,
    /// <paramref name="nextItems"/> = A^T <paramref name="users"/> (row-major, <paramref name="dim"/> wide).
    /// </summary>
    public void Propagate(float[] users, float[] items, float[] nextUsers, float[] nextItems, int dim, int threads)
    {
        Multiply(UserItems, items, nextUsers, dim, threads);
        Multiply(ItemUsers, users, nextItems, dim, threads);
    }

    private static void Multiply(CsrMatrix matrix, float[] source, float[] destination, int dim, int threads)
    {
        var tasks = (matrix.Rows + RowsPerTask - 1) / RowsPerTask;
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task =>
        {
            var end = Math.Min(matrix.Rows, (task + 1) * RowsPerTask);
            for (var row = task * RowsPerTask; row < end; row++)
            {
                var target = destination.AsSpan(row * dim, dim);
                target.Clear();
                SparseProjections.Accumulate(source, dim, matrix.RowIndices(row), matrix.RowValues(row), 0f, 1f, 0f, target, target);
            }
        });
    }
}
