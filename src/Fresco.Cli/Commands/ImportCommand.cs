using System.CommandLine;

namespace Fresco.Cli.Commands;

/// <summary>`fresco import`.</summary>
internal static class ImportCommand
{
    public static Command Create() => new("import", "(being written)");
}
