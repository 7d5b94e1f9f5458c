using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// A global time cut: the latest round(<c>testFraction</c> x rows) interactions are the test, the earlier ones
/// training. Equal timestamps are ordered by table position, so the split has exactly the asked size. A table
/// without timestamps is an error (<see cref="InvalidOperationException"/>): file order is not time. Thread-safe
/// (static).
/// </summary>
public static class TemporalSplit
{
    public static DataSplit Split(InteractionTable table, double testFraction)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1.");
        }
        ArgumentNullException.ThrowIfNull(table);
        if (table.Count > 0 && !table.HasTimestamps)
        {
            throw new InvalidOperationException(
                $"The temporal split needs timestamps, and none of the {table.Count} interactions has one; use random, leave-last-out or kfold.");
        }
        var rows = table.Rows;
        var order = new int[rows.Length];
        var times = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            order[i] = i;
            times[i] = rows[i].Timestamp;
        }
        // Array.Sort is not stable: sort by (time, position) through a composite comparison.
        Array.Sort(order, (a, b) => times[a] != times[b] ? times[a].CompareTo(times[b]) : a.CompareTo(b));
        var testRows = (int)Math.Round(testFraction * rows.Length);
        var inTest = new bool[rows.Length];
        for (var i = rows.Length - testRows; i < rows.Length; i++)
        {
            inTest[order[i]] = true;
        }
        return DataSplit.FromMask(table, inTest);
    }
}
