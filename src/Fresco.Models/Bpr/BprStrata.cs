using Fresco.Core.Data;

namespace Fresco.Models.Bpr;

/// <summary>
/// The interactions split into blocks x blocks strata for lock-free parallel SGD (Gemulla et al. 2011,
/// DSGD): users into contiguous ranges of about equal interaction count, items into blocks of about equal
/// interaction count (largest first onto the lightest block). Strata (t, (t + s) mod blocks) for one s share
/// no user and no item, so they run in parallel without races and the result is reproducible. Immutable.
/// </summary>
internal sealed class BprStrata
{
    private BprStrata(int blocks, long[] pairs, int[] offsets, int[][] blockItems)
    {
        Blocks = blocks;
        Pairs = pairs;
        Offsets = offsets;
        BlockItems = blockItems;
    }

    public int Blocks { get; }

    /// <summary>
    /// Every interaction as <c>(user &lt;&lt; 32) | item</c>, grouped by stratum (user block x blocks + item block):
    /// one random read gives both halves of a sample.
    /// </summary>
    public long[] Pairs { get; }

    /// <summary>Stratum s holds <c>Pairs[Offsets[s]..Offsets[s + 1]]</c>.</summary>
    public int[] Offsets { get; }

    /// <summary>The items of each item block, ascending.</summary>
    public int[][] BlockItems { get; }

    public ReadOnlySpan<long> Stratum(int userBlock, int itemBlock)
    {
        var s = userBlock * Blocks + itemBlock;
        return Pairs.AsSpan(Offsets[s], Offsets[s + 1] - Offsets[s]);
    }

    public static int User(long pair) => (int)(pair >> 32);

    public static int Item(long pair) => (int)pair;

    public static BprStrata Build(CsrMatrix matrix, int blocks)
    {
        if (matrix.NonZeros > int.MaxValue)
        {
            throw new NotSupportedException("BPR supports at most 2^31 - 1 interactions.");
        }
        var nonZeros = (int)matrix.NonZeros;
        var pointers = matrix.RowPointers;
        var positionUsers = new int[nonZeros];
        var userBlock = new int[matrix.Rows];
        for (var u = 0; u < matrix.Rows; u++)
        {
            positionUsers.AsSpan((int)pointers[u], matrix.RowLength(u)).Fill(u);
            userBlock[u] = (int)Math.Min(blocks - 1, pointers[u] * blocks / Math.Max(1, nonZeros));
        }
        var itemBlock = AssignItems(matrix.ColumnCounts(), blocks);
        var columns = matrix.ColumnIndices;
        var offsets = new int[blocks * blocks + 1];
        for (var position = 0; position < nonZeros; position++)
        {
            offsets[userBlock[positionUsers[position]] * blocks + itemBlock[columns[position]] + 1]++;
        }
        for (var s = 0; s < blocks * blocks; s++)
        {
            offsets[s + 1] += offsets[s];
        }
        var next = offsets[..^1];
        var pairs = new long[nonZeros];
        for (var position = 0; position < nonZeros; position++)
        {
            var user = positionUsers[position];
            pairs[next[userBlock[user] * blocks + itemBlock[columns[position]]]++] = ((long)user << 32) | (uint)columns[position];
        }
        var blockItems = new int[blocks][];
        for (var b = 0; b < blocks; b++)
        {
            var block = b;
            blockItems[b] = [.. Enumerable.Range(0, matrix.Columns).Where(i => itemBlock[i] == block)];
        }
        return new BprStrata(blocks, pairs, offsets, blockItems);
    }

    private static int[] AssignItems(int[] counts, int blocks)
    {
        var order = Enumerable.Range(0, counts.Length).OrderByDescending(i => counts[i]).ThenBy(i => i).ToArray();
        var load = new long[blocks];
        var itemBlock = new int[counts.Length];
        foreach (var item in order)
        {
            var lightest = 0;
            for (var b = 1; b < blocks; b++)
            {
                if (load[b] < load[lightest])
                {
                    lightest = b;
                }
            }
            itemBlock[item] = lightest;
            load[lightest] += counts[item] + 1;
        }
        return itemBlock;
    }
}
