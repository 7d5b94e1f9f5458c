using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// Leave-last-out (the sequential protocol of S3-Rec / ICLRec): per user, the last item by time is the test,
/// the second-to-last item the validation, the rest training; the returned split's training part is
/// everything but the test (training + validation, as in the published work) and its
/// <see cref="DataSplit.Validation"/> holds out the validation item from the rest. Items, not rows: an item's
/// time is its latest event, and every event of the user on the test (validation) item goes to the test
/// (validation), so a repeated item (viewed, then bought) is never masked out of its own test. Ties and
/// missing timestamps fall back to table order. Users with fewer than 3 distinct items stay in training only:
/// they are never tested nor validated. Thread-safe (static).
/// </summary>
public static class LeaveLastOutSplit
{
    public const int MinimumItems = 3;

    public static DataSplit Split(InteractionTable table)
    {
        var rows = table.Rows;
        var userCount = table.Users.Count;
        var counts = new int[userCount + 1];
        foreach (ref readonly var row in rows)
        {
            counts[row.UserIndex + 1]++;
        }
        for (var u = 0; u < userCount; u++)
        {
            counts[u + 1] += counts[u];
        }
        // Rows grouped by user, in table order within a user (counting sort is stable).
        var byUser = new int[rows.Length];
        var next = counts[..^1];
        for (var i = 0; i < rows.Length; i++)
        {
            byUser[next[rows[i].UserIndex]++] = i;
        }

        var role = new byte[rows.Length]; // 0 train, 1 validation, 2 test
        var distinct = new HashSet<int>();
        for (var u = 0; u < userCount; u++)
        {
            var userRows = byUser.AsSpan(counts[u], counts[u + 1] - counts[u]);
            distinct.Clear();
            foreach (var r in userRows)
            {
                distinct.Add(rows[r].ItemIndex);
            }
            if (distinct.Count < MinimumItems)
            {
                continue;
            }
            var testItem = rows[Latest(rows, userRows, exceptItem: -1)].ItemIndex;
            var validationItem = rows[Latest(rows, userRows, exceptItem: testItem)].ItemIndex;
            foreach (var r in userRows)
            {
                var item = rows[r].ItemIndex;
                role[r] = item == testItem ? (byte)2 : item == validationItem ? (byte)1 : (byte)0;
            }
        }

        var train = new InteractionTable(table.Users, table.Items, table.EventTypes, rows.Length);
        var rest = new InteractionTable(table.Users, table.Items, table.EventTypes, rows.Length);
        var validation = new InteractionTable(table.Users, table.Items, table.EventTypes);
        var test = new InteractionTable(table.Users, table.Items, table.EventTypes);
        for (var i = 0; i < rows.Length; i++)
        {
            switch (role[i])
            {
                case 2:
                    test.Add(rows[i]);
                    break;
                case 1:
                    validation.Add(rows[i]);
                    train.Add(rows[i]);
                    break;
                default:
                    rest.Add(rows[i]);
                    train.Add(rows[i]);
                    break;
            }
        }
        return new DataSplit(train, test) { Validation = new DataSplit(rest, validation) };
    }

    /// <summary>The row with the latest (timestamp, table position) whose item is not <paramref name="exceptItem"/>.</summary>
    private static int Latest(ReadOnlySpan<Interaction> rows, ReadOnlySpan<int> userRows, int exceptItem)
    {
        // userRows is in table order, so a later position wins a tie: compare with >=.
        var latest = -1;
        foreach (var r in userRows)
        {
            if (rows[r].ItemIndex != exceptItem && (latest < 0 || rows[r].Timestamp >= rows[latest].Timestamp))
            {
                latest = r;
            }
        }
        return latest;
    }
}
