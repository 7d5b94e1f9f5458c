using Xunit;

namespace Fresco.Cli.Tests;

/// <summary>Tests that redirect the process console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
