using System.CommandLine;
using System.CommandLine.Help;
using Fresco.Cli.Commands;

namespace Fresco.Cli;

/// <summary>
/// The root of the <c>fresco</c> command: wires sub-commands, nothing else. A command-line error prints one
/// line (<c>fresco: error: ...</c>) and exits with 2. Not thread-safe (uses the process console).
/// </summary>
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
            GenerateCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var command = parse.CommandResult.Command is RootCommand ? "fresco" : $"fresco {parse.CommandResult.Command.Name}";
            return CliAction.Fail($"{parse.Errors[0].Message} (see '{command} --help')", CliAction.UsageError);
        }
        var configuration = new InvocationConfiguration
        {
            Output = Console.Out,
            Error = Console.Error,
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(configuration);
    }
}
