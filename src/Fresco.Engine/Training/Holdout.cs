using Fresco.Core.Data;

namespace Fresco.Engine.Training;

/// <summary>
/// The hold-out of one training run: for a seeded fraction of the users with at least two items, one item is
/// taken out of the training matrix. The live matrix keeps no order of a user's items, so the held-out item is
/// not the newest but a seeded choice. Both choices hash the outside ids (never the indices), so the same
/// users and items are held out run after run: a serving model trained by an earlier run never saw the
/// interactions the next run evaluates it on. Immutable.
/// </summary>
internal sealed class Holdout
{
    private Holdout(CsrMatrix train, int[] users, int[] items)
    {
        Train = train;
        Users = users;
        Items = items;
    }

    /// <summary>The training matrix: the input less the held-out pairs (same shape).</summary>
    public CsrMatrix Train { get; }

    /// <summary>The users with a held-out item, ascending; <see cref="Items"/>[i] is the item of <see cref="Users"/>[i].</summary>
    public int[] Users { get; }

    public int[] Items { get; }

    public static Holdout Create(CsrMatrix userItems, IReadOnlyList<string> userIds, IReadOnlyList<string> itemIds,
        double fraction, int seed)
    {
        var userSeed = StableHash.Mix((ulong)(uint)seed);
        var itemSeed = StableHash.Mix(userSeed + 1);
        var itemHashes = new ulong[userItems.Columns];
        for (var j = 0; j < itemHashes.Length; j++)
        {
            itemHashes[j] = StableHash.Of(itemIds[j], itemSeed);
        }

        var users = new List<int>();
        var items = new List<int>();
        for (var u = 0; u < userItems.Rows; u++)
        {
            if (userItems.RowLength(u) < 2)
            {
                continue;
            }
            var userHash = StableHash.Of(userIds[u], userSeed);
            if (StableHash.ToUnit(userHash) >= fraction)
            {
                continue;
            }
            var best = -1;
            var bestHash = ulong.MaxValue;
            foreach (var item in userItems.RowIndices(u))
            {
                var hash = StableHash.Mix(userHash ^ itemHashes[item]);
                if (best < 0 || hash < bestHash)
                {
                    best = item;
                    bestHash = hash;
                }
            }
            users.Add(u);
            items.Add(best);
        }
        return new Holdout(Without(userItems, users, items), [.. users], [.. items]);
    }

    /// <summary>Users x items with one row per held-out user's item (the relevant items), shaped like <see cref="Train"/>.</summary>
    public CsrMatrix TestMatrix(Func<int, bool>? keep = null)
    {
        var builder = new CsrBuilder(Train.Rows, Train.Columns, Math.Max(1, Users.Length));
        for (var i = 0; i < Users.Length; i++)
        {
            if (keep is null || keep(i))
            {
                builder.Add(Users[i], Items[i], 1f);
            }
        }
        return builder.Build();
    }

    private static CsrMatrix Without(CsrMatrix matrix, List<int> users, List<int> items)
    {
        var pointers = new long[matrix.Rows + 1];
        var columns = new int[matrix.NonZeros - users.Count];
        var values = new float[columns.Length];
        var next = 0;
        long at = 0;
        for (var u = 0; u < matrix.Rows; u++)
        {
            var skip = next < users.Count && users[next] == u ? items[next++] : -1;
            var rowColumns = matrix.RowIndices(u);
            var rowValues = matrix.RowValues(u);
            for (var k = 0; k < rowColumns.Length; k++)
            {
                if (rowColumns[k] != skip)
                {
                    columns[at] = rowColumns[k];
                    values[at++] = rowValues[k];
                }
            }
            pointers[u + 1] = at;
        }
        return new CsrMatrix(matrix.Rows, matrix.Columns, pointers, columns, values);
    }
}
