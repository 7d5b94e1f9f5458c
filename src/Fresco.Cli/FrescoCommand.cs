using System.CommandLine;
using Fresco.Cli.Commands;

namespace Fresco.Cli;

/// <summary>The root of the <c>fresco</c> command: wires sub-commands, nothing else.</summary>
public static class FrescoCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Fresco: a real-time personalized recommendation engine.")
        {
            EvalCommand.Create(),
            TrainCommand.Create(),
            RecommendCommand.Create(),
            ImportCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
