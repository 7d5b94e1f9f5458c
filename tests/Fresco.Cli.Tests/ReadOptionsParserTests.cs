using Fresco.Cli.Commands;
using Fresco.Core.Models;
using Xunit;

namespace Fresco.Cli.Tests;

public sealed class ReadOptionsParserTests
{
    [Fact]
    public void ColumnsSetTheEventsLayout()
    {
        var options = ReadOptionsParser.Parse(null, "user=2, item=0,type=1,time=3,category=4,value=5");
        Assert.Equal("events", options.Format);
        Assert.Equal((2, 0, 1, 3, 4, 5), (options.UserColumn, options.ItemColumn, options.EventTypeColumn, options.TimestampColumn, options.CategoryColumn, options.ValueColumn));
        Assert.Equal("split", ReadOptionsParser.Parse(" Split ", null).Format);
        Assert.Null(ReadOptionsParser.Parse(null, null).Format);
    }

    [Theory]
    [InlineData("parquet", null)]
    [InlineData(null, "user=a")]
    [InlineData(null, "shop=3")]
    public void BadTextIsAnOptionError(string? format, string? columns)
    {
        Assert.Throws<OptionException>(() => ReadOptionsParser.Parse(format, columns));
    }
}
