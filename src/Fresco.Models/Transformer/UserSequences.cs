using Fresco.Core.Data;
using Fresco.Core.Models;

namespace Fresco.Models.Transformer;

/// <summary>
/// Every user's items in time order, CSR-style: user u's sequence is <c>Items[Offsets[u] .. Offsets[u + 1])</c>,
/// oldest first. Immutable and thread-safe.
/// </summary>
internal sealed class UserSequences
{
    public UserSequences(long[] offsets, int[] items, bool ordered = true)
    {
        Offsets = offsets;
        Items = items;
        Ordered = ordered;
    }

    /// <summary>False when the order carries no time (taken from matrix rows, which are in item order).</summary>
    public bool Ordered { get; }

    public long[] Offsets { get; }

    public int[] Items { get; }

    public int Users => Offsets.Length - 1;

    public ReadOnlySpan<int> Sequence(int user) =>
        (uint)user < (uint)Users ? Items.AsSpan((int)Offsets[user], (int)(Offsets[user + 1] - Offsets[user])) : [];

    /// <summary>
    /// The sequences behind <paramref name="data"/>: from its raw events ordered by (timestamp, table order), keeping
    /// the events whose (user, item) has a positive weight in the matrix; from the matrix rows (item order) when
    /// there are no raw events.
    /// </summary>
    public static UserSequences From(TrainingData data)
    {
        var matrix = data.UserItems;
        var offsets = new long[matrix.Rows + 1];
        if (data.Interactions is not { } table)
        {
            matrix.RowPointers.CopyTo(offsets);
            return new UserSequences(offsets, matrix.ColumnIndices.ToArray(), ordered: false);
        }
        var rows = table.Rows;
        var order = new int[rows.Length];
        var kept = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            if ((uint)row.UserIndex < (uint)matrix.Rows && matrix.RowIndices(row.UserIndex).BinarySearch(row.ItemIndex) >= 0)
            {
                order[kept] = i;
                kept++;
            }
        }
        // A stable sort by (user, timestamp): the table order breaks ties.
        var index = order.AsSpan(0, kept).ToArray();
        var users = index.Select(i => table[i].UserIndex).ToArray();
        var times = index.Select(i => table[i].Timestamp).ToArray();
        var position = Enumerable.Range(0, kept).ToArray();
        Array.Sort(position, (a, b) =>
        {
            var c = users[a].CompareTo(users[b]);
            c = c != 0 ? c : times[a].CompareTo(times[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        index = [.. position.Select(p => index[p])];
        var items = new int[kept];
        for (var i = 0; i < kept; i++)
        {
            items[i] = rows[index[i]].ItemIndex;
            offsets[rows[index[i]].UserIndex + 1]++;
        }
        for (var u = 0; u < matrix.Rows; u++)
        {
            offsets[u + 1] += offsets[u];
        }
        return new UserSequences(offsets, items);
    }
}
