using System.CommandLine;

namespace Fresco.Cli.Commands;

/// <summary>`fresco eval`.</summary>
internal static class EvalCommand
{
    public static Command Create() => new("eval", "(being written)");
}
