using Fresco.Core.Models;
using Fresco.Models.Bpr;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Bpr;

public sealed class BprModelTests : ModelContractTests
{
    protected override string ModelName => "bpr";

    protected override IEnumerable<string> TinyOptions => ["factors=8", "epochs=200", "learning_rate=0.05"];

    [Fact]
    public void OneThreadIsReproducible()
    {
        var a = TrainBpr(threads: 1);
        var b = TrainBpr(threads: 1);
        Assert.Equal(a.ItemFactors.ToArray(), b.ItemFactors.ToArray());
        Assert.Equal(a.ItemBias.ToArray(), b.ItemBias.ToArray());
    }

    [Fact]
    public void ColdItemIsOnlyEverPushedDown()
    {
        // Item 20 has no interactions: it is only drawn as a negative, so its bias can only fall.
        var model = TrainBpr(threads: 2);
        Assert.True(model.ItemBias[20] < 0f, $"cold item bias {model.ItemBias[20]}");
        Assert.True(model.ItemBias[3] > model.ItemBias[20]);
    }

    [Fact]
    public void StrataCoverEveryInteractionOnceAndDoNotOverlapWithinARound()
    {
        var matrix = TinyData.Matrix();
        var strata = BprStrata.Build(matrix, 3);
        var seen = new int[matrix.NonZeros];
        for (var t = 0; t < 3; t++)
        {
            for (var b = 0; b < 3; b++)
            {
                foreach (var pair in strata.Stratum(t, b))
                {
                    var user = BprStrata.User(pair);
                    var item = BprStrata.Item(pair);
                    var position = (int)matrix.RowPointers[user] + matrix.RowIndices(user).BinarySearch(item);
                    Assert.True(position >= matrix.RowPointers[user], $"pair ({user}, {item}) is not an interaction");
                    seen[position]++;
                    Assert.Contains(item, strata.BlockItems[b]);
                }
            }
        }
        Assert.All(seen, count => Assert.Equal(1, count));
        var users = new HashSet<int>[3];
        for (var t = 0; t < 3; t++)
        {
            users[t] = [.. Enumerable.Range(0, 3).SelectMany(b => strata.Stratum(t, b).ToArray()).Select(BprStrata.User)];
        }
        Assert.Empty(users[0].Intersect(users[1]));
        Assert.Empty(users[1].Intersect(users[2]));
        Assert.Equal(TinyData.Items, strata.BlockItems.Sum(b => b.Length));
    }

    [Fact]
    public void ShareOfMisrankedPairsFalls()
    {
        var losses = new List<double>();
        var options = ModelCatalog.CreateOptions("bpr", [.. TinyOptions, "threads=2"]);
        BprTrainer.Train(new TrainingContext(new TrainingData(TinyData.Matrix()), options, Progress: new Recorder(losses)));
        Assert.Equal(200, losses.Count);
        Assert.True(losses[0] > 0.3, $"first epoch {losses[0]}");
        Assert.True(losses[^1] < 0.1, $"last epoch {losses[^1]}");
    }

    [Fact]
    public void FoldInIsTheWeightedMeanOfItemVectors()
    {
        var model = TrainBpr(threads: 2);
        var vector = new float[model.Factors];
        model.FoldIn([1, 2, 99], [1f, 3f, 1f], vector);
        for (var k = 0; k < model.Factors; k++)
        {
            Assert.Equal((model.ItemVector(1)[k] + 3 * model.ItemVector(2)[k]) / 4, vector[k], 5);
        }
    }

    private BprModel TrainBpr(int threads)
    {
        var options = ModelCatalog.CreateOptions("bpr", [.. TinyOptions, $"threads={threads}", "seed=5"]);
        return BprTrainer.Train(new TrainingContext(new TrainingData(TinyData.Matrix()), options));
    }


    private sealed class Recorder(List<double> losses) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => losses.Add(value.Loss ?? double.NaN);
    }
}
