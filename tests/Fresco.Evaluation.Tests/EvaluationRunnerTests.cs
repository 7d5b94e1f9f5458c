using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Evaluation.Splits;
using Fresco.Evaluation.Tests.Splits;
using Fresco.Models;
using Xunit;

namespace Fresco.Evaluation.Tests;

public sealed class EvaluationRunnerTests
{
    private static DataSet Data(InteractionTable table, InteractionTable? test = null) =>
        new("synthetic", table, test, null, new ReadReport("test", table.Count, 0, []));

    private static EvaluationResult Popularity(DataSet data, EvaluationSettings settings, IProgress<string>? progress = null) =>
        EvaluationRunner.Run(data, "popularity", ModelCatalog.CreateOptions("popularity"), settings, EventWeights.Uniform, progress, TestContext.Current.CancellationToken);

    [Fact]
    public void PopularityOnAGivenSplitGivesTheHandComputedMetrics()
    {
        // Popularity a=3, b=2, c=1, d=0. u1 (a, b masked) ranks c first; u2 (a masked) ranks b, c, d;
        // u3 is cold and ranks a first; u0 has no test item.
        var train = new InteractionTable();
        foreach (var (user, item) in new[] { ("u0", "a"), ("u0", "b"), ("u0", "c"), ("u1", "a"), ("u1", "b"), ("u2", "a") })
        {
            train.Add(user, item, "view");
        }
        var test = new InteractionTable(train.Users, train.Items, train.EventTypes);
        test.Add("u1", "c", "view");
        test.Add("u2", "d", "view");
        test.Add("u3", "a", "view");
        var result = Popularity(Data(train, test), new EvaluationSettings("given-split", Ks: [1, 3]));
        Assert.Equal(3, result.EvaluatedUsers);
        Assert.Equal(4, result.Users);
        Assert.Equal(4, result.Items);
        Assert.Equal(9, result.Interactions);
        Assert.Equal(2 / 3.0, result.Metrics["HR@1"], 1e-12);
        Assert.Equal(1.0, result.Metrics["HR@3"], 1e-12);
        Assert.Equal((1 + 0.5 + 1) / 3, result.Metrics["NDCG@3"], 1e-12);
        Assert.Equal((1 + 1 / 3.0 + 1) / 3, result.Metrics["MRR@3"], 1e-12);
        Assert.Equal(3 / 4.0, result.Metrics["Coverage@1"], 1e-12);
        Assert.Equal("given-split", result.Protocol);
        Assert.Equal("true", result.Options["count_users"]);
    }

    [Fact]
    public void AQuantizedModelAlsoReportsItsOverlapWithTheExactModel()
    {
        var data = Data(SyntheticTables.Mixed(users: 80));
        EvaluationResult Als(string quantize) => EvaluationRunner.Run(data, "als", ModelCatalog.CreateOptions("als", ["factors=8", "threads=2", $"quantize={quantize}"]),
            new EvaluationSettings("random", Ks: [5, 10]), EventWeights.Uniform, null, TestContext.Current.CancellationToken);
        var exact = Als("none");
        var int8 = Als("int8");
        Assert.DoesNotContain("Overlap@10", exact.Metrics.Keys);
        Assert.InRange(int8.Metrics["Overlap@5"], 0.5, 1.0);
        Assert.InRange(int8.Metrics["Overlap@10"], 0.5, 1.0);
        Assert.Equal(exact.Metrics["NDCG@10"], int8.Metrics["NDCG@10"], 0.1);
    }

    [Fact]
    public void LeaveLastOutFitsOnEverythingButTheLastItem()
    {
        var table = SyntheticTables.Mixed();
        var seen = new List<TrainingData>();
        var result = EvaluationRunner.Run(Data(table), "quality", c => QualityModel.Train(c, seen), new QualityOptions { Quality = 1 },
            new EvaluationSettings("leave-last-out"), EventWeights.Uniform, null, TestContext.Current.CancellationToken);
        Assert.Equal(table.Users.Count, result.EvaluatedUsers);
        var trained = Assert.Single(seen);
        Assert.Equal(table.Count - 2 * table.Users.Count, trained.Interactions!.Count);
    }

    [Fact]
    public void KFoldReportsTheMeanAndDeviationOfTheFolds()
    {
        var table = SyntheticTables.Mixed(users: 80);
        var result = Popularity(Data(table), new EvaluationSettings("kfold", Folds: 3, Seed: 4, Ks: [5]));
        var perFold = KFoldSplit.Split(table, 3, seed: 4)
            .Select(f => Popularity(Data(f.Train, f.Test), new EvaluationSettings("given-split", Ks: [5])).Metrics["NDCG@5"])
            .ToArray();
        Assert.Equal(perFold.Average(), result.Metrics["NDCG@5"], 1e-12);
        var std = Math.Sqrt(perFold.Sum(v => Math.Pow(v - perFold.Average(), 2)) / 2);
        Assert.Equal(std, result.Metrics["NDCG@5_std"], 1e-12);
        Assert.True(std > 0);
    }

    [Fact]
    public void SameSeedGivesTheSameResult()
    {
        var table = SyntheticTables.Mixed();
        var a = Popularity(Data(table), new EvaluationSettings("random", Seed: 3));
        var b = Popularity(Data(table), new EvaluationSettings("random", Seed: 3));
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.EvaluatedUsers, b.EvaluatedUsers);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    public void TuningBeatsBadDefaultsWithoutSeeingTheTest(string method)
    {
        var table = SyntheticTables.Mixed(users: 120);
        var settings = new EvaluationSettings("random", Seed: 5, Tune: true, Trials: 12, TuneMethod: method);
        var seen = new List<TrainingData>();
        var messages = new List<string>();
        var result = EvaluationRunner.Run(Data(table), "quality", c => QualityModel.Train(c, seen), new QualityOptions(), settings,
            EventWeights.Uniform, new SynchronousProgress<string>(messages.Add), TestContext.Current.CancellationToken);
        Assert.True(double.Parse(result.Options["quality"], System.Globalization.CultureInfo.InvariantCulture) > 0.5);
        Assert.Equal(12, result.Trials.Count);
        Assert.Equal("0.1", result.Trials[0].Options["quality"]);
        Assert.Contains(messages, m => m.Contains("trial 12/12"));
        // Every training run but the last (the final fit) saw only the tuning part of the training data.
        var test = SplitAssert.Pairs(RandomSplit.Split(table, 0.2, 5).Test);
        Assert.Equal(13 - result.Trials.Count(t => t.Error is not null), seen.Count);
        foreach (var data in seen)
        {
            Assert.Empty(SplitAssert.Pairs(data.Interactions!).Intersect(test));
        }
        Assert.True(seen[0].Interactions!.Count < seen[^1].Interactions!.Count);
        // The result serializes as the CLI's --json does.
        var json = System.Text.Json.JsonSerializer.Serialize(result);
        Assert.Contains("\"NDCG@10\":", json);
        Assert.Contains("\"Trials\":[{\"Number\":1", json);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("leave-last-out")]
    [InlineData("given-split")]
    public void OnValidationTrainsAndScoresOnTheTuningSplitAndNeverReadsTheTest(string protocol)
    {
        var table = SyntheticTables.Mixed(users: 80);
        var given = RandomSplit.Split(table, 0.2, 11);
        var data = protocol == "given-split" ? Data(given.Train, given.Test) : Data(table);
        var settings = new EvaluationSettings(protocol, Seed: 3, OnValidation: true);
        var split = EvaluationProtocol.Splits(data, settings)[0];
        var tuning = EvaluationProtocol.TuningSplit(split, settings, 0);
        var seen = new List<TrainingData>();
        var result = EvaluationRunner.Run(data, "quality", c => QualityModel.Train(c, seen), new QualityOptions { Quality = 1 }, settings,
            EventWeights.Uniform, null, TestContext.Current.CancellationToken);
        Assert.Equal("validation", result.Holdout);
        var trained = Assert.Single(seen);
        Assert.True(SplitAssert.Pairs(tuning.Train).SetEquals(SplitAssert.Pairs(trained.Interactions!)));
        Assert.Empty(SplitAssert.Pairs(trained.Interactions!).Intersect(SplitAssert.Pairs(split.Test)));
        Assert.Equal(SplitAssert.Pairs(tuning.Test).Select(p => p.Item1).Distinct().Count(), result.EvaluatedUsers);
    }

    [Fact]
    public void OnValidationIgnoresWhateverTheTestPartHolds()
    {
        var table = SyntheticTables.Mixed(users: 80);
        var given = RandomSplit.Split(table, 0.2, 11);
        var otherTest = new InteractionTable(given.Train.Users, given.Train.Items, given.Train.EventTypes);
        otherTest.Add(given.Test.Users.GetId(0), given.Test.Items.GetId(0), "view");
        var settings = new EvaluationSettings("given-split", OnValidation: true);
        var a = Popularity(Data(given.Train, given.Test), settings);
        var b = Popularity(Data(given.Train, otherTest), settings);
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.EvaluatedUsers, b.EvaluatedUsers);
    }

    [Fact]
    public void TuningIsDeterministicWithTheSeed()
    {
        var table = SyntheticTables.Mixed(users: 80);
        var settings = new EvaluationSettings("temporal", Seed: 9, Tune: true, Trials: 14, TuneMethod: "tpe");
        EvaluationResult Once() => EvaluationRunner.Run(Data(table), "quality", c => QualityModel.Train(c), new QualityOptions(), settings,
            EventWeights.Uniform, null, TestContext.Current.CancellationToken);
        var a = Once();
        var b = Once();
        Assert.Equal(a.Trials.Select(t => t.Options["quality"]), b.Trials.Select(t => t.Options["quality"]));
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.Options, b.Options);
    }

    [Fact]
    public void KFoldTunesEachFoldOnItsOwnTrainingPart()
    {
        var table = SyntheticTables.Mixed(users: 60);
        var seen = new List<TrainingData>();
        var messages = new List<string>();
        var result = EvaluationRunner.Run(Data(table), "quality", c => QualityModel.Train(c, seen), new QualityOptions(),
            new EvaluationSettings("kfold", Folds: 2, Tune: true, Trials: 4, TuneMethod: "random"), EventWeights.Uniform,
            new SynchronousProgress<string>(messages.Add), TestContext.Current.CancellationToken);
        Assert.Equal(8, result.Trials.Count);
        Assert.Equal(10, seen.Count);
        Assert.Contains(messages, m => m.StartsWith("fold 2/2: tune: trial 4/4", StringComparison.Ordinal));
        var folds = KFoldSplit.Split(table, 2, 42);
        for (var f = 0; f < 2; f++)
        {
            var test = SplitAssert.Pairs(folds[f].Test);
            for (var i = f * 5; i < f * 5 + 4; i++)
            {
                Assert.Empty(SplitAssert.Pairs(seen[i].Interactions!).Intersect(test));
            }
        }
        Assert.Contains("NDCG@10_std", result.Metrics.Keys);
    }

    [Fact]
    public void TuningAModelWithoutTunableOptionsEvaluatesTheGivenOnes()
    {
        var messages = new List<string>();
        var result = Popularity(Data(SyntheticTables.Mixed()), new EvaluationSettings("leave-last-out", Tune: true),
            new SynchronousProgress<string>(messages.Add));
        Assert.Empty(result.Trials);
        Assert.Equal(50, result.EvaluatedUsers);
        Assert.Contains(messages, m => m.Contains("no tunable options", StringComparison.Ordinal));
    }

    [Fact]
    public void ProgressNamesEveryStage()
    {
        var messages = new List<string>();
        Popularity(Data(SyntheticTables.Mixed()), new EvaluationSettings("temporal"), new SynchronousProgress<string>(messages.Add));
        Assert.Contains(messages, m => m.StartsWith("split: temporal", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("train:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("evaluate:", StringComparison.Ordinal));
    }

    [Fact]
    public void AModelThatThrowsIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => EvaluationRunner.Run(Data(SyntheticTables.Mixed()), "broken",
            _ => throw new IndexOutOfRangeException("oops"), new QualityOptions(), new EvaluationSettings(), EventWeights.Uniform, null, TestContext.Current.CancellationToken));
        Assert.Contains("broken", e.Message);
        Assert.Contains("oops", e.Message);
    }

    [Fact]
    public void DataWithoutTestUsersIsAClearError()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "view");
        table.Add("u", "b", "view");
        var e = Assert.Throws<InvalidOperationException>(() => Popularity(Data(table), new EvaluationSettings("leave-last-out")));
        Assert.Contains("test item", e.Message);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("leave-last-out")]
    [InlineData("temporal")]
    [InlineData("kfold")]
    public void AnEmptyDataSetIsAClearError(string protocol)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Popularity(Data(new InteractionTable()), new EvaluationSettings(protocol)));
        Assert.Contains("interactions", e.Message);
    }

    [Theory]
    [InlineData("no-such-protocol", 0.2, "NDCG@10")]
    [InlineData("random", 1.5, "NDCG@10")]
    [InlineData("random", 0.2, "Foo@10")]
    public void BadSettingsAreOptionErrors(string protocol, double fraction, string metric) =>
        Assert.Throws<OptionException>(() =>
            Popularity(Data(SyntheticTables.Mixed()), new EvaluationSettings(protocol, fraction, Tune: true, TuneMetric: metric)));
}
