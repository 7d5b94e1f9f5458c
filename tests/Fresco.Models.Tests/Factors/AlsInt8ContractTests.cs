using Fresco.TestKit;

namespace Fresco.Models.Tests.Factors;

/// <summary>The model contract with the item table served through the int8 kernels (the tiny options of AlsModelTests).</summary>
public sealed class AlsInt8ContractTests : ModelContractTests
{
    protected override string ModelName => "als";

    protected override IEnumerable<string> TinyOptions => ["factors=4", "regularization=1", "alpha=5", "iterations=15", "quantize=int8"];
}
