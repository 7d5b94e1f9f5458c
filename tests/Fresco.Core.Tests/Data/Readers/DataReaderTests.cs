using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Xunit;

namespace Fresco.Core.Tests.Data.Readers;

public sealed class DataReaderTests
{
    private static string[] Ids(InteractionTable table, Func<Interaction, int> index, IdMap map) =>
        table.Rows.ToArray().Select(r => map.GetId(index(r))).ToArray();

    [Fact]
    public void MovieLensTabFileReadsRatingsAndTimestamps()
    {
        using var files = new TempFiles();
        var path = files.Write("u.data", "1\t10\t4\t881250949\n2\t10\t3.5\t881250950\n1\t11\t5\t881250951\n");
        var data = DataReader.Read(path);
        Assert.Equal("movielens", data.Report.Format);
        var table = data.Interactions;
        Assert.Equal(3, table.Count);
        Assert.Equal(["1", "2", "1"], Ids(table, r => r.UserIndex, table.Users));
        Assert.Equal(["10", "10", "11"], Ids(table, r => r.ItemIndex, table.Items));
        Assert.Equal([4f, 3.5f, 5f], table.Rows.ToArray().Select(r => r.Value));
        Assert.Equal(881250950L, table[1].Timestamp);
        Assert.Equal("rating", table.EventTypes.GetId(table[0].EventType));
        Assert.Null(data.Test);
    }

    [Fact]
    public void MovieLensDoubleColonAndCsvWithHeader()
    {
        using var files = new TempFiles();
        var dat = DataReader.Read(files.Write("ratings.dat", "1::1193::5::978300760\r\n1::661::3::978302109\r\n"));
        Assert.Equal(2, dat.Interactions.Count);
        Assert.Equal("661", dat.Interactions.Items.GetId(dat.Interactions[1].ItemIndex));
        Assert.Equal(978302109L, dat.Interactions[1].Timestamp);

        var csv = DataReader.Read(files.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n"));
        Assert.Equal(2, csv.Interactions.Count);
        Assert.Equal(0, csv.Report.RowsSkipped);
        Assert.Equal(4.5f, csv.Interactions[1].Value);
    }

    [Fact]
    public void SequenceKeepsFileOrderPerUser()
    {
        using var files = new TempFiles();
        var path = files.Write("seq.txt", "u1 5 3 9\nu2 3\n\nu1 7\n");
        var data = DataReader.Read(path, new ReadOptions { Format = "sequence" });
        var table = data.Interactions;
        Assert.Equal(5, table.Count);
        Assert.Equal(["5", "3", "9", "3", "7"], Ids(table, r => r.ItemIndex, table.Items));
        Assert.Equal(["u1", "u1", "u1", "u2", "u1"], Ids(table, r => r.UserIndex, table.Users));
        Assert.All(table.Rows.ToArray(), r => Assert.Equal((1f, 0L), (r.Value, r.Timestamp)));
        Assert.Equal("interaction", table.EventTypes.GetId(0));
        Assert.False(table.HasTimestamps);
    }

    [Fact]
    public void SplitFolderSharesIdMapsBetweenTrainAndTest()
    {
        using var files = new TempFiles();
        files.Write("d/train.txt", "0 1 2\r\n1 2 3\r\n");
        files.Write("d/test.txt", "0 3\r\n1 4\r\n\r\n");
        var data = DataReader.Read(Path.Combine(files.Root, "d"));
        Assert.Equal("split", data.Report.Format);
        Assert.Equal("d", data.Name);
        Assert.Equal(4, data.Interactions.Count);
        Assert.NotNull(data.Test);
        Assert.Equal(2, data.Test.Count);
        Assert.Same(data.Interactions.Items, data.Test.Items);
        Assert.Equal(4, data.Interactions.Items.Count);
        Assert.Equal("4", data.Test.Items.GetId(data.Test[1].ItemIndex));
        Assert.Equal(6, data.Report.RowsRead);

        files.Write("d/test.txt", "0\n1\n");
        var error = Assert.Throws<InvalidDataException>(() => DataReader.Read(Path.Combine(files.Root, "d")));
        Assert.EndsWith("test.txt: no usable interactions.", error.Message);
    }

    [Fact]
    public void TaobaoStyleEventsAreDetectedWithCategories()
    {
        using var files = new TempFiles();
        var path = files.Write("UserBehavior.csv",
            "1,100,7,pv,1511544070\n1,100,7,cart,1511544080\n2,200,8,buy,1511544090\n2,300,7,fav,1511544100\n3,100,7,pv");
        var data = DataReader.Read(path);
        Assert.Equal("events", data.Report.Format);
        var table = data.Interactions;
        Assert.Equal(4, table.Count);
        Assert.Equal(4, data.Report.RowsRead);
        Assert.Equal(1, data.Report.RowsSkipped);
        Assert.Equal("UserBehavior.csv line 5: expected at least 5 fields, found 4", Assert.Single(data.Report.FirstProblems));
        Assert.Equal(["pv", "cart", "buy", "fav"], table.EventTypes.Ids);
        Assert.Equal(1511544090L, table[2].Timestamp);
        Assert.NotNull(data.ItemCategories);
        Assert.Equal(["7"], data.ItemCategories[table.Items.GetId(0) == "100" ? 0 : -1]);
        Assert.Equal(["8"], data.ItemCategories[1]);
        var categories = data.BuildCategoryMatrix()!;
        Assert.Equal((3, 2), (categories.Rows, categories.Columns));
        Assert.Equal([0], categories.RowIndices(2).ToArray());
    }

    [Fact]
    public void EventsWithHeaderNamesAndConfiguredColumns()
    {
        using var files = new TempFiles();
        var named = DataReader.Read(files.Write("events.csv", "timestamp,visitorid,event,itemid\n1433221332117,257597,view,355908\n1433224214164,992329,addtocart,248676\n"));
        Assert.Equal(2, named.Interactions.Count);
        Assert.Equal("992329", named.Interactions.Users.GetId(named.Interactions[1].UserIndex));
        Assert.Equal("addtocart", named.Interactions.EventTypes.GetId(named.Interactions[1].EventType));
        Assert.Equal(1433224214L, named.Interactions[1].Timestamp);

        var configured = DataReader.Read(files.Write("custom.txt", "a;x;2.5\nb;y;1\n"),
            new ReadOptions { Format = "events", Delimiter = ';', ValueColumn = 2 });
        Assert.Equal([2.5f, 1f], configured.Interactions.Rows.ToArray().Select(r => r.Value));

        // Configured columns with a header row whose time column is not a time: the header is skipped.
        var headed = DataReader.Read(files.Write("headed.csv", "u,i,t\nx,y,2017-11-25T00:00:00Z\nx,z,1511568000\n"),
            new ReadOptions { Format = "events", TimestampColumn = 2 });
        Assert.Equal((2, 0L), (headed.Interactions.Count, headed.Report.RowsSkipped));
        Assert.Equal([1511568000L, 1511568000L], headed.Interactions.Rows.ToArray().Select(r => r.Timestamp));
        Assert.Equal("interaction", configured.Interactions.EventTypes.GetId(0));
    }

    [Fact]
    public void MalformedRowsAreSkippedAndTheFirstFiveReported()
    {
        using var files = new TempFiles();
        var lines = new List<string> { "1\t1\t5\t100" };
        for (var i = 0; i < 7; i++)
        {
            lines.Add(i % 2 == 0 ? "1\t2\tfive\t100" : "1\t2");
        }
        lines.Add("2\t3\t4\t200");
        var data = DataReader.Read(files.Write("u.data", string.Join('\n', lines) + "\n\n\n"));
        Assert.Equal(2, data.Interactions.Count);
        Assert.Equal(7, data.Report.RowsSkipped);
        Assert.Equal(5, data.Report.FirstProblems.Count);
        Assert.Equal("u.data line 2: rating 'five' is not a number", data.Report.FirstProblems[0]);
        Assert.Equal("u.data line 3: expected user, item, rating[, timestamp]; found 2 fields", data.Report.FirstProblems[1]);
    }

    [Fact]
    public void NothingUsableFailsWithOneLineNamingTheFile()
    {
        using var files = new TempFiles();
        var empty = files.Write("empty.txt", "");
        var error = Assert.Throws<InvalidDataException>(() => DataReader.Read(empty));
        Assert.Contains("empty.txt", error.Message);
        Assert.DoesNotContain('\n', error.Message);

        var bad = files.Write("u.data", "1\t2\tx\t3\n");
        error = Assert.Throws<InvalidDataException>(() => DataReader.Read(bad));
        Assert.Equal($"{bad}: no usable interactions (1 malformed rows skipped; first: u.data line 1: rating 'x' is not a number).", error.Message);

        Assert.Throws<FileNotFoundException>(() => DataReader.Read(Path.Combine(files.Root, "missing.csv")));
        Assert.Throws<ArgumentException>(() => DataReader.Read(bad, new ReadOptions { Format = "parquet" }));
    }

    [Fact]
    public void LongLinesBeyondTheBufferAreRead()
    {
        using var files = new TempFiles();
        var items = string.Join(' ', Enumerable.Range(0, 30_000));
        var data = DataReader.Read(files.Write("long.txt", $"u {items}\nv 1 2\n"), new ReadOptions { Format = "sequence" });
        Assert.Equal(30_002, data.Interactions.Count);
        Assert.Equal("29999", data.Interactions.Items.GetId(data.Interactions[29_999].ItemIndex));
    }
}
