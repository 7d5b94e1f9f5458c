using Fresco.Core.Models;
using Fresco.Core.Serialization;
using Fresco.Models.LightGcn;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.LightGcn;

public sealed class LightGcnModelTests : ModelContractTests
{
    protected override string ModelName => "lightgcn";

    protected override IEnumerable<string> TinyOptions => ["factors=8", "layers=2", "epochs=200", "batch_size=64", "learning_rate=0.02"];

    [Fact]
    public void FoldInIsTheDegreeNormalisedSumOfThePropagatedItemEmbeddings()
    {
        var model = (LightGcnModel)Train();
        int[] items = [11, 12, 14];
        var vector = new float[model.Factors];
        model.FoldIn(items, [1f, 2f, 1f], vector);

        for (var k = 0; k < model.Factors; k++)
        {
            var expected = 0f;
            foreach (var item in items)
            {
                expected += model.ItemVector(item)[k] * model.ItemScale[item];
            }
            Assert.Equal(expected / MathF.Sqrt(3), vector[k], 1e-5f);
        }
    }

    [Fact]
    public void ItemsOutsideTheModelAndNonPositiveWeightsAreIgnoredByFoldIn()
    {
        var model = (LightGcnModel)Train();
        var plain = new float[model.Factors];
        var noisy = new float[model.Factors];
        model.FoldIn([11, 12], [1f, 1f], plain);
        model.FoldIn([11, 12, model.ItemCount + 5, 13], [1f, 1f, 1f, -1f], noisy);

        Assert.Equal(plain, noisy);
    }

    [Fact]
    public void AModelFileOfBodyVersionTwoStillLoads()
    {
        var model = (LightGcnModel)Train();
        using var stream = new MemoryStream();
        // Version 2 bodies end with the item scale; what this build writes after it is not read.
        ModelFile.Save(model, 2, stream);
        stream.Position = 0;

        var loaded = Assert.IsType<LightGcnModel>(ModelCatalog.Load(stream));
        var (expected, actual) = (new float[model.ItemCount], new float[model.ItemCount]);
        model.Score(UserHistory.Anonymous([11, 12], [1, 1]), expected);
        loaded.Score(UserHistory.Anonymous([11, 12], [1, 1]), actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelForAnyThreadCount()
    {
        var one = Train(ModelCatalog.CreateOptions(ModelName, [.. TinyOptions, "threads=1"]));
        var two = Train(ModelCatalog.CreateOptions(ModelName, [.. TinyOptions, "threads=2"]));

        Assert.Equal(one.ItemFactors.ToArray(), two.ItemFactors.ToArray());
    }

    private static LightGcnModel Train(ModelOptions options) =>
        (LightGcnModel)ModelCatalog.Train("lightgcn", new TrainingContext(TinyData.Training(), options));
}
