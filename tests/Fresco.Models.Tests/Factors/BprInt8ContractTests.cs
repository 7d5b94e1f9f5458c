using Fresco.TestKit;

namespace Fresco.Models.Tests.Factors;

/// <summary>The model contract with the item table served through the int8 kernels (the tiny options of BprModelTests).</summary>
public sealed class BprInt8ContractTests : ModelContractTests
{
    protected override string ModelName => "bpr";

    protected override IEnumerable<string> TinyOptions => ["factors=8", "epochs=200", "learning_rate=0.05", "quantize=int8"];
}
