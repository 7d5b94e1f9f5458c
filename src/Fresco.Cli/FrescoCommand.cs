using System.CommandLine;
using System.CommandLine.Help;
using Fresco.Cli.Commands;
using Fresco.Server;

namespace Fresco.Cli;

/// <summary>
/// The root of the <c>fresco</c> command: wires sub-commands, nothing else. A command-line error prints one
/// line (<c>fresco: error: ...</c>) and exits with 2. Not thread-safe (uses the process console).
/// </summary>
public static class FrescoCommand
{
    /// <summary>
    /// Runs the command line. <paramref name="createEngine"/> is the engine `fresco serve` drives; without one, this
    /// build has no `serve` command.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CreateEngine? createEngine = null)
    {
        var root = new RootCommand("Fresco: a real-time personalized recommendation engine.")
        {
            EvalCommand.Create(),
            TrainCommand.Create(),
            RecommendCommand.Create(),
            ImportCommand.Create(),
            GenerateCommand.Create(),
        };
        if (createEngine is not null)
        {
            root.Subcommands.Add(ServeCommand.Create(createEngine));
        }
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
        if (parse.CommandResult.Command.Name == "serve")
        {
            // The server's host handles Ctrl-C and SIGTERM itself and needs more than the default two seconds to stop.
            configuration.ProcessTerminationTimeout = null;
        }
        return await parse.InvokeAsync(configuration);
    }
}
