using Fresco.TestKit;

namespace Fresco.Models.Tests.LightGcn;

/// <summary>The model contract with loss=softmax (tiny options checked to fit the tiny data).</summary>
public sealed class LightGcnSoftmaxContractTests : ModelContractTests
{
    protected override string ModelName => "lightgcn";

    protected override IEnumerable<string> TinyOptions =>
        ["factors=8", "layers=1", "epochs=50", "batch_size=64", "learning_rate=0.02", "loss=softmax", "negatives=16", "temperature=1"];
}
