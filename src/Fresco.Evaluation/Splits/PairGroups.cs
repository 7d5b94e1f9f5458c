using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// Groups a table's rows by (user, item) pair, so that interaction-level splits keep every event of a pair on
/// the same side (the pair is the unit the matrix is built from). Thread-safe (static).
/// </summary>
internal static class PairGroups
{
    /// <summary>The pair number of every row (0 .. pairCount-1, in ascending (user, item) order) and the pair count.</summary>
    public static (int[] PairOfRow, int PairCount) Group(InteractionTable table)
    {
        var rows = table.Rows;
        var keys = new long[rows.Length];
        var order = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            keys[i] = ((long)rows[i].UserIndex << 32) | (uint)rows[i].ItemIndex;
            order[i] = i;
        }
        Array.Sort(keys, order);
        var pairOfRow = new int[rows.Length];
        var pair = -1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                pair++;
            }
            pairOfRow[order[i]] = pair;
        }
        return (pairOfRow, pair + 1);
    }

    /// <summary>The numbers 0 .. count-1 in a random order drawn from <paramref name="seed"/> (Fisher-Yates).</summary>
    public static int[] Shuffled(int count, int seed)
    {
        var permutation = new int[count];
        for (var i = 0; i < count; i++)
        {
            permutation[i] = i;
        }
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        return permutation;
    }
}
