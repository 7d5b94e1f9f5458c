using Fresco.Core.Data;
using Fresco.Models.Bpr;

namespace Fresco.Models.LightGcn;

/// <summary>Uniform draws of the observed (user, item) pairs of a CSR matrix, and uniform negatives. Thread-safe (static).</summary>
internal static class PairSampler
{
    /// <summary>One observed pair, uniform over all pairs (so a user is drawn in proportion to their history).</summary>
    public static (int User, int Item) Pair(CsrMatrix matrix, ref SplitMix random)
    {
        var pair = random.Below((int)matrix.NonZeros);
        return (UserOf(matrix.RowPointers, pair), matrix.ColumnIndices[pair]);
    }

    /// <summary>A uniform item outside <paramref name="row"/> (a few tries, then whatever was drawn).</summary>
    public static int Negative(ReadOnlySpan<int> row, int items, ref SplitMix random)
    {
        var negative = random.Below(items);
        for (var attempt = 0; attempt < 8 && row.BinarySearch(negative) >= 0; attempt++)
        {
            negative = random.Below(items);
        }
        return negative;
    }

    /// <summary>The row whose range of the pointer array holds <paramref name="pair"/>.</summary>
    private static int UserOf(ReadOnlySpan<long> pointers, long pair)
    {
        var (low, high) = (0, pointers.Length - 2);
        while (low < high)
        {
            var mid = (low + high + 1) >> 1;
            if (pointers[mid] <= pair)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }
}
