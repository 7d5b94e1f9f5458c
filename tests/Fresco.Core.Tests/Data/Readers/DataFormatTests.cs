using Fresco.Core.Data.Readers;
using Xunit;

namespace Fresco.Core.Tests.Data.Readers;

public sealed class DataFormatTests
{
    [Theory]
    [InlineData("a.txt", "1\t2\t3\t4\n", "movielens")]
    [InlineData("a.txt", "1::2::3::4\n", "movielens")]
    [InlineData("a.txt", "1\tbook\tview\t4\n", "events")]
    [InlineData("a.csv", "1,2,3,pv,5\n", "events")]
    [InlineData("a.txt", "1 2 3 4 5 6\n2 3\n", "sequence")]
    [InlineData("ratings.csv", "userId,movieId,rating,timestamp\n", "movielens")]
    [InlineData("a.txt", "\n\n7 8 9\r\n", "sequence")]
    [InlineData("r.csv", "user_id,item_id,rating\n", "movielens")]
    [InlineData("r.csv", "1,2,4.5,100\n", "movielens")]
    [InlineData("e.csv", "1,2,1511544070\n", "events")]
    [InlineData("e.csv", "user,item,timestamp\n", "events")]
    public void DetectsTheFormatOfAFile(string name, string text, string format)
    {
        using var files = new TempFiles();
        Assert.Equal(format, DataFormat.Detect(files.Write(name, text)));
    }

    [Fact]
    public void DetectsFolders()
    {
        using var files = new TempFiles();
        files.Write("split/train.txt", "0 1\n");
        files.Write("split/test.txt", "0 2\n");
        files.Write("ml/u.data", "1\t2\t3\t4\n");
        Directory.CreateDirectory(Path.Combine(files.Root, "none"));
        Assert.Equal("split", DataFormat.Detect(Path.Combine(files.Root, "split")));
        Assert.Equal("movielens", DataFormat.Detect(Path.Combine(files.Root, "ml")));
        Assert.Throws<InvalidDataException>(() => DataFormat.Detect(Path.Combine(files.Root, "none")));
        var data = DataReader.Read(Path.Combine(files.Root, "ml"));
        Assert.Equal(("ml", 1), (data.Name, data.Interactions.Count));
    }
}
