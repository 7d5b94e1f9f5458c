using System.Numerics.Tensors;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models.LightGcn;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.LightGcn;

/// <summary>The model contract with SimpleX's user tower and dropout (tiny options checked to fit the tiny data).</summary>
public sealed class LightGcnTowerContractTests : ModelContractTests
{
    protected override string ModelName => "lightgcn";

    protected override IEnumerable<string> TinyOptions =>
        ["factors=8", "layers=0", "epochs=50", "batch_size=64", "learning_rate=0.02", "loss=softmax", "negatives=16", "temperature=0.5",
            "user_weight=0.5", "dropout=0.2"];

    [Fact]
    public void WithoutTheUserEmbeddingAKnownUsersRowIsTheFoldInOfTheirItems()
    {
        var matrix = TinyData.Matrix();
        var options = ModelCatalog.CreateOptions(ModelName, [.. TinyOptions, "user_weight=0"]);
        var model = (LightGcnModel)ModelCatalog.Train(ModelName, new TrainingContext(new TrainingData(matrix), options));
        var folded = new float[model.Factors];
        for (var u = 0; u < matrix.Rows; u++)
        {
            model.FoldIn(matrix.RowIndices(u), matrix.RowValues(u), folded);

            Assert.Equal(1f, TensorPrimitives.Norm(folded), 1e-4f);
            for (var k = 0; k < model.Factors; k++)
            {
                Assert.Equal(model.UserVector(u)[k], folded[k], 1e-4f);
            }
        }
    }

    [Fact]
    public void TheTowerNeedsACosineLoss()
    {
        Assert.Throws<OptionException>(() => ModelCatalog.CreateOptions(ModelName, ["loss=bpr", "user_weight=0.5"]));
        Assert.Throws<OptionException>(() => ModelCatalog.CreateOptions(ModelName, ["loss=bpr", "dropout=0.1"]));
    }
}
