using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Core.Tests.Data.Readers;

/// <summary>Counts from the data sets' README files.</summary>
public sealed class RealDataReaderTests
{
    private static int Distinct(InteractionTable table, Func<Interaction, int> index) =>
        table.Rows.ToArray().Select(index).Distinct().Count();

    [Fact]
    public void MovieLens100K()
    {
        var data = DataReader.Read(TestData.RequireFile("ml-100k/u.data"));
        Assert.Equal(("ml-100k", "movielens"), (data.Name, data.Report.Format));
        Assert.Equal((943, 1682, 100_000), (data.Interactions.Users.Count, data.Interactions.Items.Count, data.Interactions.Count));
        Assert.Equal(55_375, data.Interactions.Rows.ToArray().Count(r => r.Value >= 4));
        Assert.Equal(0, data.Report.RowsSkipped);
    }

    [Fact]
    public void AmazonBeauty()
    {
        var data = DataReader.Read(TestData.RequireFile("amazon-beauty/Beauty.txt"));
        Assert.Equal("sequence", data.Report.Format);
        Assert.Equal((22_363, 12_101, 198_502), (data.Interactions.Users.Count, data.Interactions.Items.Count, data.Interactions.Count));
    }

    /// <summary>What ml-1m's split holds. How fast it reads is a benchmark's job, not a test's (a timed assertion fails on a
    /// loaded machine): `Fresco.Benchmarks train-als --data ../shared/data/ml-1m` prints the read time.</summary>
    [Fact]
    public void MovieLens1MSplitReadsEveryRow()
    {
        var data = DataReader.Read(TestData.RequireFile("ml-1m"));
        Assert.Equal("split", data.Report.Format);
        Assert.Equal((796_244, 99_455), (data.Interactions.Count, data.Test!.Count));
        Assert.Equal((6_022, 3_043), (data.Interactions.Users.Count, data.Interactions.Items.Count));
        Assert.Equal(6_022, Distinct(data.Interactions, r => r.UserIndex));
        Assert.Equal(3_021, Distinct(data.Test, r => r.ItemIndex));
    }

    [Fact]
    public void TaobaoSampleSkipsTheTruncatedLastRow()
    {
        var data = DataReader.Read(TestData.RequireFile("taobao-userbehavior-sample/UserBehavior.csv"));
        Assert.Equal("events", data.Report.Format);
        var table = data.Interactions;
        Assert.Equal((84_475L, 1L), (data.Report.RowsRead, data.Report.RowsSkipped));
        Assert.Equal((815, 55_368), (table.Users.Count, table.Items.Count));
        var byType = table.Rows.ToArray().GroupBy(r => table.EventTypes.GetId(r.EventType)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(75_872, byType["pv"]);
        Assert.Equal(4_497, byType["cart"]);
        Assert.Equal(2_356, byType["fav"]);
        Assert.Equal(1_750, byType["buy"]);
        Assert.Equal(2_914, data.ItemCategories!.Values.SelectMany(c => c).Distinct().Count());
        Assert.Equal(1_512_316_763L, table.Rows.ToArray().Max(r => r.Timestamp));
    }
}
