using Fresco.TestKit;

namespace Fresco.Models.Tests.LightGcn;

/// <summary>The model contract with loss=cosine (tiny options checked to fit the tiny data).</summary>
public sealed class LightGcnCosineContractTests : ModelContractTests
{
    protected override string ModelName => "lightgcn";

    protected override IEnumerable<string> TinyOptions =>
        ["factors=8", "layers=2", "epochs=50", "batch_size=64", "learning_rate=0.02", "loss=cosine", "negatives=16", "margin=0", "negative_weight=1"];
}
