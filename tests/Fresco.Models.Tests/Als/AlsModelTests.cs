using Fresco.Core.Linalg;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models.Als;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Als;

public sealed class AlsModelTests : ModelContractTests
{
    protected override string ModelName => "als";

    protected override IEnumerable<string> TinyOptions => ["factors=4", "regularization=1", "alpha=5", "iterations=15"];

    [Fact]
    public void FoldInSolvesTheNormalEquations()
    {
        var model = (AlsModel)Train();
        var dim = model.Factors;
        int[] items = [11, 12, 14];
        float[] weights = [1f, 2f, 1f];
        var x = new float[dim];
        model.FoldIn(items, weights, x);
        // (G + sum alpha w y y^T) x must equal sum (1 + alpha w) y.
        var a = model.RegularizedGram.ToArray();
        var b = new float[dim];
        for (var j = 0; j < items.Length; j++)
        {
            var y = model.ItemVector(items[j]);
            DenseKernels.AddOuter(y, model.Alpha * weights[j], a);
            for (var k = 0; k < dim; k++)
            {
                b[k] += (1 + model.Alpha * weights[j]) * y[k];
            }
        }
        var ax = new float[dim];
        DenseKernels.MultiplyTransposed(a, dim, x, ax);
        for (var k = 0; k < dim; k++)
        {
            Assert.Equal(b[k], ax[k], 2);
        }
    }

    [Fact]
    public void ConjugateGradientApproachesTheExactSolver()
    {
        var cg = Train("cg", threads: 2, cgSteps: 6);
        var exact = Train("cholesky", threads: 2, cgSteps: 3);
        var matrix = TinyData.Matrix();
        var a = new float[cg.ItemCount];
        var b = new float[cg.ItemCount];
        for (var u = 0; u < TinyData.Users; u++)
        {
            cg.Score(UserHistory.FromMatrix(matrix, u), a);
            exact.Score(UserHistory.FromMatrix(matrix, u), b);
            for (var i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) < 0.02f, $"user {u} item {i}: cg {a[i]} exact {b[i]}");
            }
        }
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheModel()
    {
        var one = Train("cg", threads: 1, cgSteps: 3);
        var two = Train("cg", threads: 2, cgSteps: 3);
        Assert.Equal(one.UserFactors.ToArray(), two.UserFactors.ToArray());
        Assert.Equal(one.ItemFactors.ToArray(), two.ItemFactors.ToArray());
    }

    [Fact]
    public void WarmStartKeepsOldRowsAndAddsNewOnes()
    {
        var old = Train("cg", threads: 2, cgSteps: 3);
        var options = (AlsOptions)ModelCatalog.CreateOptions("als", [.. TinyOptions, "iterations=1"]);
        var grown = TinyData.Matrix().Resize(TinyData.Users + 2, TinyData.Items + 1);
        var warm = AlsTrainer.Train(new TrainingContext(new TrainingData(grown), options, old));
        var cold = AlsTrainer.Train(new TrainingContext(new TrainingData(grown), options));
        Assert.Equal(TinyData.Users + 2, warm.UserCount);
        Assert.Equal(TinyData.Items + 1, warm.ItemCount);
        // One sweep from a converged start stays close to it; one sweep from random does not.
        var warmDrift = Drift(old.ItemFactors, warm.ItemFactors);
        var coldDrift = Drift(old.ItemFactors, cold.ItemFactors);
        Assert.True(warmDrift < coldDrift / 4, $"warm drift {warmDrift}, cold drift {coldDrift}");
    }

    [Fact]
    public void AnonymousRecommendDoesNotAllocate()
    {
        var model = Train();
        var results = new ScoredItem[5];
        int[] items = [11, 12, 13];
        float[] weights = [1f, 1f, 1f];
        model.Recommend(UserHistory.Anonymous(items, weights), results);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            model.Recommend(UserHistory.Anonymous(items, weights), results);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private AlsModel Train(string solver, int threads, int cgSteps)
    {
        var options = ModelCatalog.CreateOptions("als", [.. TinyOptions, $"solver={solver}", $"threads={threads}", $"cg_steps={cgSteps}", "iterations=30"]);
        return AlsTrainer.Train(new TrainingContext(TinyData.Training(), options));
    }

    private static float Drift(ReadOnlySpan<float> before, ReadOnlySpan<float> after)
    {
        var sum = 0f;
        for (var i = 0; i < before.Length; i++)
        {
            sum += MathF.Abs(before[i] - after[i]);
        }
        return sum;
    }
}
