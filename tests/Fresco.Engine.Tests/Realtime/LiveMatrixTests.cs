using Fresco.Core.Data;
using Fresco.Engine.Realtime;
using Xunit;

namespace Fresco.Engine.Tests.Realtime;

public sealed class LiveMatrixTests
{
    private static readonly string[] s_types = ["view", "click", "like", "cart", "purchase", "rating", "dislike", "unknown"];

    /// <summary>Seeded random events with integer weights (sums exact in any order) and timestamps that almost never tie.</summary>
    internal static LiveEvent[] RandomEvents(int seed, int count, int users, int items)
    {
        var random = new Random(seed);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new LiveEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = new LiveEvent(
                $"u{random.Next(users)}", $"i{random.Next(items)}", s_types[random.Next(s_types.Length)],
                random.Next(1, 6), t0.AddSeconds(random.Next(100_000_000)));
        }
        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ToMatrix_EqualsEventWeightsBuildMatrix(int seed)
    {
        var events = RandomEvents(seed, 3000, 60, 40);
        var live = new LiveInteractions(new LiveOptions { MaxHistoryPerUser = 1000 });
        live.Apply(events);
        var table = new InteractionTable();
        foreach (var e in events)
        {
            table.Add(e.UserId, e.ItemId, e.EventType, e.Value, e.Timestamp.ToUnixTimeSeconds());
        }

        var expected = EventWeights.ECommerce.BuildMatrix(table);
        var actual = live.ToMatrix();

        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        Assert.True(expected.NonZeros > 0);
        Assert.Equal(expected.RowPointers.ToArray(), actual.RowPointers.ToArray());
        Assert.Equal(expected.ColumnIndices.ToArray(), actual.ColumnIndices.ToArray());
        Assert.Equal(expected.Values.ToArray(), actual.Values.ToArray());

        // Popularity counts users with a positive pair: the matrix's column counts.
        var popular = new Core.Ranking.ScoredItem[live.ItemCount];
        var n = live.Popular(popular);
        var columnCounts = expected.ColumnCounts();
        Assert.Equal(columnCounts.Count(c => c > 0), n);
        foreach (var s in popular[..n])
        {
            Assert.Equal(columnCounts[s.ItemIndex], (int)s.Score);
        }
    }
}
