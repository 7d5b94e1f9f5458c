using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models.Transformer;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Transformer;

public sealed class TransformerModelTests : ModelContractTests
{
    protected override string ModelName => "transformer";

    protected override IEnumerable<string> TinyOptions => SequenceData.TinyOptions;

    [Fact]
    public void KnownUsersAreEncodedInTimeOrderNotItemOrder()
    {
        var data = SequenceData.FromSequences([[5, 2, 9, 1], [3, 4, 0]], items: 10);
        var model = (TransformerModel)ModelCatalog.Train("transformer", new TrainingContext(data, ModelCatalog.CreateOptions("transformer", [.. SequenceData.TinyOptions, "epochs=1"])));
        Assert.Equal([5, 2, 9, 1], model.Sequence(0).ToArray());
        Assert.Equal([3, 4, 0], model.Sequence(1).ToArray());

        // The matrix row (item order) is ignored for a known user: scores equal those of the time-ordered history.
        var known = new float[10];
        var anonymous = new float[10];
        model.Score(UserHistory.FromMatrix(data.UserItems, 0), known);
        model.Score(UserHistory.Anonymous([5, 2, 9, 1], [1f, 1f, 1f, 1f]), anonymous);
        Assert.Equal(anonymous, known);
        model.Score(UserHistory.Anonymous([1, 2, 5, 9], [1f, 1f, 1f, 1f]), anonymous);
        Assert.NotEqual(anonymous, known);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("sampled")]
    public void LearnsADeterministicNextItemPattern(string loss)
    {
        // A hidden cycle over 24 items in a scrambled order: the set of seen items does not tell the next one,
        // the order does.
        var (data, cycle) = SequenceData.Cycle(items: 24, users: 96, length: 7, seed: 3);
        var options = ModelCatalog.CreateOptions("transformer", [.. SequenceData.TinyOptions, $"loss={loss}", "negatives=8", "epochs=80", "dropout=0"]);
        var model = ModelCatalog.Train("transformer", new TrainingContext(data, options));
        var results = new ScoredItem[1];
        var correct = 0;
        for (var start = 0; start < cycle.Length; start++)
        {
            int[] history = [.. Enumerable.Range(0, 4).Select(i => cycle[(start + i) % cycle.Length])];
            model.Recommend(UserHistory.Anonymous(history, [1f, 1f, 1f, 1f]), results);
            correct += results[0].ItemIndex == cycle[(start + 4) % cycle.Length] ? 1 : 0;
        }
        Assert.True(correct >= 22, $"{loss}: the next item was top-1 for only {correct} of {cycle.Length} histories");
    }

    [Fact]
    public void Int8ModelSavesAndLoadsToTheSameScores()
    {
        var model = ModelCatalog.Train("transformer", new TrainingContext(TinyData.Training(), ModelCatalog.CreateOptions("transformer", [.. SequenceData.TinyOptions, "quantize=int8", "epochs=3"])));
        using var stream = new MemoryStream();
        ModelCatalog.Save(model, stream);
        stream.Position = 0;
        var loaded = (TransformerModel)ModelCatalog.Load(stream);
        Assert.True(loaded.Encoder.IsInt8);
        var expected = new float[model.ItemCount];
        var actual = new float[model.ItemCount];
        for (var u = 0; u < TinyData.Users; u++)
        {
            model.Score(UserHistory.FromMatrix(TinyData.Matrix(), u), expected);
            loaded.Score(UserHistory.FromMatrix(TinyData.Matrix(), u), actual);
            Assert.Equal(expected, actual);
        }
    }
}
