using Fresco.Core.Data;
using Xunit;

namespace Fresco.Evaluation.Tests.Splits;

/// <summary>Checks shared by the split tests.</summary>
internal static class SplitAssert
{
    /// <summary>Every row of the source is in exactly one of the parts, the parts share the source's id maps.</summary>
    public static void Partitions(InteractionTable source, params InteractionTable[] parts)
    {
        Assert.Equal(source.Count, parts.Sum(p => p.Count));
        var all = new List<Interaction>();
        foreach (var part in parts)
        {
            Assert.Same(source.Users, part.Users);
            Assert.Same(source.Items, part.Items);
            all.AddRange(part.Rows.ToArray());
        }
        Assert.Equal(Sorted(source.Rows.ToArray()), Sorted(all));
    }

    public static HashSet<(int, int)> Pairs(InteractionTable table) =>
        [.. table.Rows.ToArray().Select(r => (r.UserIndex, r.ItemIndex))];

    private static Interaction[] Sorted(IEnumerable<Interaction> rows) =>
        [.. rows.OrderBy(r => r.UserIndex).ThenBy(r => r.ItemIndex).ThenBy(r => r.Timestamp).ThenBy(r => r.EventType)];
}
