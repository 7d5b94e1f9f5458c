using Xunit;

namespace Fresco.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class HelpTests
{
    [Fact]
    public async Task HelpListsEveryCommand()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, await FrescoCommand.RunAsync(["--help"]));
        }
        finally
        {
            Console.SetOut(previous);
        }
        foreach (var command in new[] { "eval", "train", "recommend", "import" })
        {
            Assert.Contains(command, output.ToString());
        }
    }
}
