using System.CommandLine;

namespace Fresco.Cli.Commands;

/// <summary>`fresco train`.</summary>
internal static class TrainCommand
{
    public static Command Create() => new("train", "(being written)");
}
