namespace Fresco.Core.Data.Preprocessing;

/// <summary>Which duplicate of a user-item pair <see cref="InteractionFilters.Deduplicate"/> keeps.</summary>
public enum DuplicateKeep
{
    First,
    Last,
}

/// <summary>
/// Pure filters over an <see cref="InteractionTable"/>: each returns a new table over the same id maps, rows in
/// their original order. Thread-safe (static; the input table is only read).
/// </summary>
public static class InteractionFilters
{
    /// <summary>Keeps one row per user-item pair (whatever its event type): the first or the last in table order.</summary>
    public static InteractionTable Deduplicate(InteractionTable table, DuplicateKeep keep = DuplicateKeep.First)
    {
        var rows = table.Rows;
        var seen = new HashSet<long>(rows.Length);
        var kept = new bool[rows.Length];
        for (var n = 0; n < rows.Length; n++)
        {
            var i = keep == DuplicateKeep.First ? n : rows.Length - 1 - n;
            kept[i] = seen.Add(((long)rows[i].UserIndex << 32) | (uint)rows[i].ItemIndex);
        }
        return Select(table, kept);
    }

    /// <summary>
    /// The iterative k-core: drops users with fewer than <paramref name="minUserInteractions"/> rows and items with
    /// fewer than <paramref name="minItemInteractions"/> rows, repeating until every remaining user and item meets
    /// its minimum (dropping an item can push a user below its minimum, and back). Counts rows: deduplicate first
    /// to count distinct pairs.
    /// </summary>
    public static InteractionTable KCore(InteractionTable table, int minUserInteractions, int minItemInteractions)
    {
        var rows = table.Rows;
        var kept = new bool[rows.Length];
        Array.Fill(kept, true);
        var userCounts = new int[table.Users.Count];
        var itemCounts = new int[table.Items.Count];
        var changed = true;
        while (changed)
        {
            Array.Clear(userCounts);
            Array.Clear(itemCounts);
            for (var i = 0; i < rows.Length; i++)
            {
                if (kept[i])
                {
                    userCounts[rows[i].UserIndex]++;
                    itemCounts[rows[i].ItemIndex]++;
                }
            }
            changed = false;
            for (var i = 0; i < rows.Length; i++)
            {
                if (kept[i] && (userCounts[rows[i].UserIndex] < minUserInteractions || itemCounts[rows[i].ItemIndex] < minItemInteractions))
                {
                    kept[i] = false;
                    changed = true;
                }
            }
        }
        return Select(table, kept);
    }

    /// <summary>Drops events of type <paramref name="eventType"/> whose value is below <paramref name="threshold"/>; other types are kept.</summary>
    public static InteractionTable MinimumValue(InteractionTable table, float threshold, string eventType = "rating")
    {
        if (!table.EventTypes.TryGetIndex(eventType, out var type))
        {
            return table.Where(static _ => true);
        }
        return table.Where(row => row.EventType != type || row.Value >= threshold);
    }

    /// <summary>Keeps events with <paramref name="fromSeconds"/> &lt;= timestamp &lt; <paramref name="toSeconds"/> (unix seconds).</summary>
    public static InteractionTable TimeRange(InteractionTable table, long fromSeconds, long toSeconds)
    {
        RequireTimestamps(table);
        return table.Where(row => row.Timestamp >= fromSeconds && row.Timestamp < toSeconds);
    }

    /// <summary>Keeps the events of the last <paramref name="days"/> days before the newest event (newest included).</summary>
    public static InteractionTable LastDays(InteractionTable table, double days)
    {
        RequireTimestamps(table);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var from = Newest(table) - (long)Math.Round(days * 86400);
        return table.Where(row => row.Timestamp > from);
    }

    /// <summary>The newest timestamp in the table (long.MinValue when empty).</summary>
    public static long Newest(InteractionTable table)
    {
        var newest = long.MinValue;
        foreach (ref readonly var row in table.Rows)
        {
            newest = Math.Max(newest, row.Timestamp);
        }
        return newest;
    }

    private static void RequireTimestamps(InteractionTable table)
    {
        if (!table.HasTimestamps)
        {
            throw new InvalidOperationException("The data has no timestamps, so it cannot be filtered by time.");
        }
    }

    private static InteractionTable Select(InteractionTable table, bool[] kept)
    {
        var rows = table.Rows;
        var result = new InteractionTable(table.Users, table.Items, table.EventTypes, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            if (kept[i])
            {
                result.Add(rows[i]);
            }
        }
        return result;
    }
}
