using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models.Ease;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Ease;

public sealed class EaseModelTests : ModelContractTests
{
    protected override string ModelName => "ease";

    protected override IEnumerable<string> TinyOptions => ["lambda=2"];

    [Theory]
    [InlineData(3.0, 0.0, 0.0)]
    [InlineData(0.5, 0.3, 0.25)]
    public void WeightsMatchTheClosedFormInDoublePrecision(double lambda, double dropout, double userExponent)
    {
        const int Users = 40, Items = 9;
        var rng = new Random(3);
        var builder = new CsrBuilder(Users, Items);
        for (var u = 0; u < Users; u++)
        {
            for (var i = 0; i < Items; i++)
            {
                if (rng.NextDouble() < 0.3)
                {
                    builder.Add(u, i, 1f);
                }
            }
        }
        var matrix = builder.Build();
        var model = (EaseModel)ModelCatalog.Train("ease", new TrainingContext(new TrainingData(matrix), ModelCatalog.CreateOptions("ease", [$"lambda={lambda}", $"dropout={dropout}", $"user_exponent={userExponent}"])));
        var expected = ClosedForm(matrix, lambda, dropout, userExponent);
        for (var i = 0; i < Items; i++)
        {
            for (var j = 0; j < Items; j++)
            {
                Assert.Equal(expected[i, j], model.WeightRow(i)[j], 4);
            }
        }
    }

    [Fact]
    public void ScoresAreTheWeightedSumOfHistoryRows()
    {
        var model = new EaseModel(2, [0f, 0.5f, -0.25f, 0f], new Dictionary<string, string>());
        var scores = new float[2];
        model.Score(UserHistory.Anonymous([0, 1], [2f, 1f]), scores);
        Assert.Equal([-0.25f, 1f], scores);
    }

    [Fact]
    public void DefaultLambdaScalesWithInteractionsPerUser()
    {
        var builder = new CsrBuilder(3, 4);
        builder.Add(0, 0, 1f);
        builder.Add(0, 1, 1f);
        builder.Add(0, 2, 1f);
        builder.Add(2, 3, 1f);
        var options = (EaseOptions)ModelCatalog.CreateOptions("ease");
        // Two active users with 4 interactions: mean 2, times the default scale 11.
        Assert.Equal(22.0, EaseTrainer.EffectiveLambda(options, builder.Build()));
        options.Lambda = 7;
        Assert.Equal(7.0, EaseTrainer.EffectiveLambda(options, builder.Build()));
    }

    [Fact]
    public void CatalogAboveMaxItemsIsRefused()
    {
        var options = ModelCatalog.CreateOptions("ease", ["max_items=20"]);
        var e = Assert.Throws<OptionException>(() => ModelCatalog.Train("ease", new TrainingContext(TinyData.Training(), options)));
        Assert.Contains("max_items", e.Message);
    }

    /// <summary>
    /// B = I - P diag(1/diag P) with P = (G + lambda I + p/(1-p) diag G)^-1, G the Gram matrix of the rows scaled
    /// by length^-exponent, by Gauss-Jordan in double precision.
    /// </summary>
    private static double[,] ClosedForm(CsrMatrix x, double lambda, double dropout, double exponent)
    {
        var n = x.Columns;
        var p = new double[n, 2 * n];
        for (var u = 0; u < x.Rows; u++)
        {
            var scale = Math.Pow(Math.Max(1, x.RowLength(u)), -2 * exponent);
            foreach (var i in x.RowIndices(u))
            {
                foreach (var j in x.RowIndices(u))
                {
                    p[i, j] += scale;
                }
            }
        }
        for (var i = 0; i < n; i++)
        {
            p[i, i] += lambda + (dropout / (1 - dropout) * p[i, i]);
            p[i, n + i] = 1;
        }
        for (var c = 0; c < n; c++)
        {
            var pivot = p[c, c];
            for (var j = 0; j < 2 * n; j++)
            {
                p[c, j] /= pivot;
            }
            for (var r = 0; r < n; r++)
            {
                if (r != c)
                {
                    var factor = p[r, c];
                    for (var j = 0; j < 2 * n; j++)
                    {
                        p[r, j] -= factor * p[c, j];
                    }
                }
            }
        }
        var b = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                b[i, j] = i == j ? 0 : -p[i, n + j] / p[j, n + j];
            }
        }
        return b;
    }
}
