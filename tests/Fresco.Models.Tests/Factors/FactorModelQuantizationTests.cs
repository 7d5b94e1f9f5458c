using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Core.Serialization;
using Fresco.Models.Als;
using Fresco.Models.Bpr;
using Fresco.Models.Factors;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.Factors;

/// <summary>Factor models served through the int8 kernels against their exact fp32 scores.</summary>
public sealed class FactorModelQuantizationTests
{
    private const int Factors = 64;
    private const int Items = 5_000;
    private const int Users = 200;

    private static readonly BprModel s_exact = SyntheticBpr();
    private static readonly FactorModel s_int8 = s_exact.WithQuantization(ItemQuantization.Int8);

    [Fact]
    public void Int8ScoresStayWithinTheQuantizationErrorBound()
    {
        // Per element |x - q s| <= s / 2, so |u.v - u'.v'| <= (s_u / 2) |v|_1 + (s_v / 2) |u'|_1 with |u'|_1 <=
        // |u|_1 + d s_u / 2; plus fp32 rounding of both sums (1e-4 of sum |u_j v_j|). The bias is exact in both.
        Assert.True(s_int8.IsQuantized);
        var exact = new float[Items];
        var approximate = new float[Items];
        for (var u = 0; u < Users; u += 7)
        {
            s_exact.Score(UserHistory.FromMatrix(EmptyHistory(), u), exact);
            s_int8.Score(UserHistory.FromMatrix(EmptyHistory(), u), approximate);
            var user = s_exact.UserVector(u);
            var userScale = MaxMagnitude(user) / 127f;
            for (var i = 0; i < Items; i++)
            {
                var item = s_exact.ItemVector(i);
                var itemScale = MaxMagnitude(item) / 127f;
                double l1Item = 0, l1User = 0, products = 0;
                for (var j = 0; j < Factors; j++)
                {
                    l1Item += Math.Abs(item[j]);
                    l1User += Math.Abs(user[j]);
                    products += Math.Abs(user[j] * item[j]);
                }
                var bound = (userScale / 2 * l1Item) + (itemScale / 2 * (l1User + (Factors * userScale / 2))) + (1e-4 * products);
                Assert.True(Math.Abs(exact[i] - approximate[i]) <= bound, $"user {u} item {i}: {approximate[i]} vs {exact[i]}, bound {bound}");
            }
        }
    }

    [Fact]
    public void Int8TopTenAgreesWithFp32OnASyntheticModel()
    {
        // Gaussian factors, 5,000 items: measured mean overlap 9.825 of 10 (swaps at the boundary of near-ties).
        var exact = new ScoredItem[10];
        var approximate = new ScoredItem[10];
        var overlap = 0;
        var history = EmptyHistory();
        for (var u = 0; u < Users; u++)
        {
            s_exact.Recommend(UserHistory.FromMatrix(history, u), exact);
            s_int8.Recommend(UserHistory.FromMatrix(history, u), approximate);
            overlap += exact.Select(r => r.ItemIndex).Intersect(approximate.Select(r => r.ItemIndex)).Count();
        }
        var mean = (double)overlap / Users;
        Assert.True(mean >= 9.5, $"mean top-10 overlap {mean}");
    }

    [Fact]
    public void FoldedInUsersAreScoredThroughTheSameKernel()
    {
        int[] items = [3, 77, 1_200, 4_999];
        float[] weights = [1, 2, 1, 1];
        var vector = new float[Factors];
        s_int8.FoldIn(items, weights, vector);
        var expected = new float[Items];
        var actual = new float[Items];
        s_int8.ScoreVector(vector, expected);
        s_int8.Score(UserHistory.Anonymous(items, weights), actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Int8BatchScoresEqualOneByOneScores()
    {
        var history = EmptyHistory();
        int[] users = [0, 1, 63, 64, 65, 199, Users + 3];
        var batch = new float[users.Length * Items];
        s_int8.ScoreBatch(users, history, batch);
        var single = new float[Items];
        for (var u = 0; u < users.Length; u++)
        {
            s_int8.Score(users[u] < Users ? UserHistory.FromMatrix(history, users[u]) : UserHistory.Anonymous([], []), single);
            Assert.Equal(single, batch.AsSpan(u * Items, Items).ToArray());
        }
    }

    [Fact]
    public void Int8SimilarItemsStayCloseToTheExactCosine()
    {
        var exact = new float[Items];
        var approximate = new float[Items];
        foreach (var item in new[] { 0, 17, 4_321 })
        {
            Assert.True(s_exact.TryScoreSimilar(item, exact));
            Assert.True(s_int8.TryScoreSimilar(item, approximate));
            for (var i = 0; i < Items; i++)
            {
                // Cosines in [-1, 1]; two 8-bit operands of 64 Gaussian factors err by about 1e-3.
                Assert.True(Math.Abs(exact[i] - approximate[i]) < 0.02f, $"item {item} vs {i}: {approximate[i]} vs {exact[i]}");
            }
        }
    }

    [Fact]
    public void TheQuantizeOptionQuantizesOnlyTheServedTable()
    {
        var none = TrainAls("none");
        var int8 = TrainAls("int8");
        Assert.Equal(ItemQuantization.None, none.Quantization);
        Assert.Equal(ItemQuantization.Int8, int8.Quantization);
        Assert.Equal("int8", int8.Options["quantize"]);
        Assert.Equal(none.ItemFactors.ToArray(), int8.ItemFactors.ToArray());
        var exact = int8.Exact();
        var matrix = TinyData.Matrix();
        var expected = new float[none.ItemCount];
        var actual = new float[none.ItemCount];
        for (var u = 0; u < TinyData.Users; u++)
        {
            none.Score(UserHistory.FromMatrix(matrix, u), expected);
            exact.Score(UserHistory.FromMatrix(matrix, u), actual);
            Assert.Equal(expected, actual);
        }
        Assert.Same(none, none.Exact());
    }

    [Fact]
    public void Int8ScoringTableIsAtLeastThreeTimesSmaller()
    {
        // 64 codes + a scale + a row sum per item against 64 floats: 72 against 256 bytes.
        Assert.Equal(72L * Items, s_int8.ScoringBytes);
        Assert.True(s_exact.ScoringBytes >= 3 * s_int8.ScoringBytes, $"{s_exact.ScoringBytes} vs {s_int8.ScoringBytes}");
    }

    [Fact]
    public void AnInt8ModelFileLoadsAsInt8()
    {
        using var stream = new MemoryStream();
        ModelCatalog.Save(s_int8, stream);
        stream.Position = 0;
        var (_, version) = ModelFile.ReadHeader(stream, out var reader);
        reader.Dispose();
        Assert.Equal(FactorModel.BodyVersion, version);
        stream.Position = 0;
        var loaded = Assert.IsType<BprModel>(ModelCatalog.Load(stream));
        Assert.Equal(ItemQuantization.Int8, loaded.Quantization);
        var expected = new float[Items];
        var actual = new float[Items];
        s_int8.Score(UserHistory.Anonymous([5, 6], [1, 1]), expected);
        loaded.Score(UserHistory.Anonymous([5, 6], [1, 1]), actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void AVersionOneFileStillLoadsAndScoresExactly()
    {
        // Body version 1, as written before the quantization field: options, factors, users, items, no bias, ALS extras.
        var model = TrainAls("none");
        using var stream = new MemoryStream();
        stream.Write("FRESCOMD"u8);
        using (var writer = new ModelWriter(stream, leaveOpen: true))
        {
            writer.Write(ModelFile.FormatVersion);
            writer.Write("als");
            writer.Write(1);
            writer.WriteOptions(new Dictionary<string, string> { ["factors"] = "4" });
            writer.Write(model.Factors);
            writer.WriteArray(model.UserFactors);
            writer.WriteArray(model.ItemFactors);
            writer.Write(false);
            writer.Write(model.Regularization);
            writer.Write(model.Alpha);
            writer.WriteArray(model.RegularizedGram);
        }
        stream.Position = 0;
        var loaded = Assert.IsType<AlsModel>(ModelCatalog.Load(stream));
        Assert.Equal(ItemQuantization.None, loaded.Quantization);
        var expected = new float[model.ItemCount];
        var actual = new float[model.ItemCount];
        model.Score(UserHistory.Anonymous([1, 2], [1, 1]), expected);
        loaded.Score(UserHistory.Anonymous([1, 2], [1, 1]), actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("als")]
    [InlineData("bpr")]
    [InlineData("lightgcn")]
    public void AnUnknownQuantizationIsAnOptionErrorListingTheChoices(string model)
    {
        var e = Assert.Throws<OptionException>(() => ModelCatalog.CreateOptions(model, ["quantize=int4"]));
        Assert.Contains("none, int8", e.Message);
    }

    private static AlsModel TrainAls(string quantize)
    {
        var options = ModelCatalog.CreateOptions("als", ["factors=4", "regularization=1", "iterations=5", "threads=2", $"quantize={quantize}"]);
        return (AlsModel)ModelCatalog.Train("als", new TrainingContext(TinyData.Training(), options));
    }

    private static BprModel SyntheticBpr()
    {
        var random = new Random(20261205);
        float[] users = [.. Enumerable.Range(0, Users * Factors).Select(_ => Gaussian(random))];
        float[] items = [.. Enumerable.Range(0, Items * Factors).Select(_ => Gaussian(random))];
        float[] bias = [.. Enumerable.Range(0, Items).Select(_ => 0.5f * Gaussian(random))];
        return new BprModel(new FactorModelBody(Factors, users, items, bias, new Dictionary<string, string>()));
    }

    private static CsrMatrix EmptyHistory() => new CsrBuilder(Users, Items).Build();

    private static float MaxMagnitude(ReadOnlySpan<float> values)
    {
        var max = 0f;
        foreach (var value in values)
        {
            max = Math.Max(max, Math.Abs(value));
        }
        return max;
    }

    private static float Gaussian(Random random) =>
        MathF.Sqrt(-2f * MathF.Log(1f - random.NextSingle())) * MathF.Cos(2f * MathF.PI * random.NextSingle());
}
