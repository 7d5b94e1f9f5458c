using System.CommandLine;

namespace Fresco.Cli.Commands;

/// <summary>`fresco recommend`.</summary>
internal static class RecommendCommand
{
    public static Command Create() => new("recommend", "(being written)");
}
