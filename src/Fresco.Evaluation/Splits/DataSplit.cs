using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// A training part and a test part over the same id maps, so that the matrices built from both have the same
/// shape. Immutable.
/// </summary>
/// <param name="Train">What the evaluated model is fit on.</param>
/// <param name="Test">What it is scored against; never seen in training.</param>
public sealed record DataSplit(InteractionTable Train, InteractionTable Test)
{
    /// <summary>
    /// A split of <see cref="Train"/> alone for tuning, when the protocol defines one (leave-last-out: the
    /// second-to-last item); null when the caller must carve one.
    /// </summary>
    public DataSplit? Validation { get; init; }

    /// <summary>A split that keeps the rows for which <paramref name="inTest"/> is true as the test, the rest as training; both keep table order.</summary>
    public static DataSplit FromMask(InteractionTable table, ReadOnlySpan<bool> inTest)
    {
        var train = new InteractionTable(table.Users, table.Items, table.EventTypes, table.Count);
        var test = new InteractionTable(table.Users, table.Items, table.EventTypes);
        var rows = table.Rows;
        for (var i = 0; i < rows.Length; i++)
        {
            (inTest[i] ? test : train).Add(rows[i]);
        }
        return new DataSplit(train, test);
    }
}
