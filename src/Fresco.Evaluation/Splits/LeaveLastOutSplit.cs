using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// Leave-last-out (the sequential protocol of S3-Rec / ICLRec): per user, the last interaction by time is the
/// test, the second-to-last the validation, the rest training; the returned split's training part is
/// everything but the test (training + validation, as in the published work) and its
/// <see cref="DataSplit.Validation"/> holds out the validation item from the rest. Ties and missing timestamps
/// fall back to table order. Users with fewer than 3 interactions stay in training only: they are never
/// tested nor validated. Thread-safe (static).
/// </summary>
public static class LeaveLastOutSplit
{
    public const int MinimumInteractions = 3;

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
        for (var u = 0; u < userCount; u++)
        {
            var start = counts[u];
            var length = counts[u + 1] - start;
            if (length < MinimumInteractions)
            {
                continue;
            }
            var userRows = byUser.AsSpan(start, length);
            var (last, secondLast) = LatestTwo(rows, userRows);
            role[last] = 2;
            role[secondLast] = 1;
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

    /// <summary>The rows with the latest and second-latest (timestamp, table position), by row number.</summary>
    private static (int Last, int SecondLast) LatestTwo(ReadOnlySpan<Interaction> rows, ReadOnlySpan<int> userRows)
    {
        // userRows is in table order, so a later position wins a tie: compare with >=.
        int last = -1, secondLast = -1;
        foreach (var r in userRows)
        {
            if (last < 0 || rows[r].Timestamp >= rows[last].Timestamp)
            {
                secondLast = last;
                last = r;
            }
            else if (secondLast < 0 || rows[r].Timestamp >= rows[secondLast].Timestamp)
            {
                secondLast = r;
            }
        }
        return (last, secondLast);
    }
}
