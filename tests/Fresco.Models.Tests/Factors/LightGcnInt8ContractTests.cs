using Fresco.TestKit;

namespace Fresco.Models.Tests.Factors;

/// <summary>The model contract with the item table served through the int8 kernels (the tiny options of LightGcnModelTests).</summary>
public sealed class LightGcnInt8ContractTests : ModelContractTests
{
    protected override string ModelName => "lightgcn";

    protected override IEnumerable<string> TinyOptions => ["factors=8", "layers=2", "epochs=200", "batch_size=64", "learning_rate=0.02", "quantize=int8"];
}
