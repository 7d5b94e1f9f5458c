using Fresco.TestKit;

namespace Fresco.Models.Tests.Transformer;

/// <summary>The model contract with structured pruning on (every block pruned by half after training).</summary>
public sealed class PrunedTransformerModelTests : ModelContractTests
{
    protected override string ModelName => "transformer";

    protected override IEnumerable<string> TinyOptions => [.. SequenceData.TinyOptions, "prune=0.5"];
}
