using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Synthetic;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Engine.Models;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Fresco.Models;
using Xunit;

namespace Fresco.Engine.Tests.Training;

/// <summary><c>Training:Model = auto</c> on generated shops of several shapes.</summary>
public sealed class AutoModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Shapes => ["ml-100k-like", "sparse e-commerce", "sequential"];

    /// <summary>
    /// The shops of a shape that the comparison is pooled over: their <see cref="ShopOptions.Seed"/>s. One shop of the
    /// sparse shape cannot tell its kinds apart: its hold-out has about 670 users at NDCG@10 about 0.1, and one training
    /// run of LightGCN there varies by up to 12% with its seed (docs/models.md); four shops halve the standard error.
    /// </summary>
    private static int[] Shops(string shape) => shape == "sparse e-commerce" ? [7, 8, 9, 10] : [Shape(shape).Seed];

    private static ShopOptions Shape(string name) => name switch
    {
        "tiny two tastes" => new ShopOptions { Users = 30, Items = 40, Categories = 2, ViewsPerUser = 8, Taste = 0.95, Seed = 3 },
        "ml-100k-like" => new ShopOptions { Users = 600, Items = 800, Categories = 20, ViewsPerUser = 40, Taste = 0.8, Seed = 5 },
        "sparse e-commerce" => new ShopOptions
        {
            Users = 3000,
            Items = 2000,
            Categories = 40,
            ViewsPerUser = 4,
            CartRate = 0.2,
            PurchaseRate = 0.3,
            Taste = 0.7,
            Seed = 7,
        },
        // Users browse a category's list in order most of the time: the next item is what the order tells.
        "sequential" => new ShopOptions { Users = 800, Items = 400, Categories = 10, ViewsPerUser = 12, Sequential = 0.8, Taste = 0.9, Seed = 11 },
        "large" => new ShopOptions { Users = 40_000, Items = 6_000, Categories = 60, ViewsPerUser = 12, Seed = 13 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static TrainingOptions Options(string model, int trials = 12) => new()
    {
        Model = model,
        ModelOptions = ["threads=2"],
        // The trial count binds, not the clock, so a loaded machine changes nothing.
        SearchBudget = TimeSpan.FromMinutes(10),
        SearchTrials = trials,
        MinEvents = 10,
        // 30% of the users: the largest hold-out that leaves most of the data to train on.
        HoldoutFraction = 0.3,
    };

    /// <summary>
    /// Each kind alone, its options searched as <c>fresco eval --tune</c> does (a TPE search on a validation split carved
    /// from the training part: here the same split auto uses) with <see cref="PerKind"/> trials, trained on the same
    /// training part and scored on the same hold-out as auto, which gets at least as many trials as all of them together;
    /// on every shop of the shape (<see cref="Shops"/>), pooled. Auto must reach 98% of the best kind's mean over the
    /// hold-out users of all the shops, or be tied with it: the gap under two standard errors of the paired per-user
    /// difference. The transformer is a candidate on the sequential shop only: on the others the events carry no order
    /// (none are passed), as on a shop whose views are independent.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AutoIsWithinTwoPercentOfTheBestKindTunedAloneOrTiedWithItOnTheGatesHoldout(string shape)
    {
        var autoUsers = new List<double>();
        var chosen = new List<string>();
        var tuned = new Dictionary<string, List<double>>();
        foreach (var seed in Shops(shape))
        {
            var (data, ordered) = ShopData.CreateWithSequences(Shape(shape) with { Seed = seed });
            var sequences = shape == "sequential" ? ordered : null;
            var kinds = new TrainingOptions().SearchModels;
            var (report, model) = await TrainKeeping(data, Options("auto", kinds.Count * PerKind), sequences);
            // The gate's hold-out, as ModelTrainer carves it.
            var holdout = Holdout.Create(data.Matrix, data.UserIds, data.ItemIds, Options("auto").HoldoutFraction, new TrainingOptions().Seed);
            var users = UserNdcg(model, holdout);
            Assert.Equal(report.CandidateMetrics["ndcg@10"], users.Average(), 6);
            Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
            Assert.True(report.CandidateMetrics["ndcg@10"] > report.BaselineMetrics!["ndcg@10"]);
            autoUsers.AddRange(users);
            chosen.Add(string.Create(CultureInfo.InvariantCulture, $"{report.Kind} {users.Average():F4}"));

            foreach (var kind in kinds.Where(k => sequences is not null || !ModelCatalog.Get(k).UsesEventOrder))
            {
                var alone = Options("auto", PerKind);
                alone.SearchModels = [kind];
                var (single, singleModel) = await TrainKeeping(data, alone, sequences);
                // A kind the gate replaced with popularity on some shop is not compared.
                if (single.Search!.Kind == kind && single.Kind == kind)
                {
                    tuned.TryAdd(kind, []);
                    tuned[kind].AddRange(UserNdcg(singleModel, holdout));
                }
            }
        }

        var means = tuned.Where(t => t.Value.Count == autoUsers.Count).ToDictionary(t => t.Key, t => t.Value.Average());
        var best = means.MaxBy(t => t.Value);
        var value = autoUsers.Average();
        var (gap, error) = PairedGap([.. tuned[best.Key]], [.. autoUsers]);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{shape}, {Shops(shape).Length} shop(s): auto chose {string.Join(", ", chosen)}, mean {value:F4}; tuned alone: {string.Join(", ", means.Select(m => $"{m.Key} {m.Value:F4}"))}; gap to the best {gap:F4}, paired standard error {error:F4} over {autoUsers.Count} hold-out users");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(value >= 0.98 * best.Value || gap <= 2 * error, summary);
    }

    private const int PerKind = 3;

    /// <summary>NDCG@10 of every hold-out user (one held-out item: 1 / log2(rank + 2) in the top 10, else 0).</summary>
    private static double[] UserNdcg(IRecommender model, Holdout holdout)
    {
        const int K = 10;
        var results = new ScoredItem[holdout.Users.Length * K];
        var counts = new int[holdout.Users.Length];
        model.RecommendBatch(holdout.Users, holdout.Train, K, results, counts, threads: 2);
        var ndcg = new double[holdout.Users.Length];
        for (var i = 0; i < ndcg.Length; i++)
        {
            var at = Array.FindIndex(results, i * K, counts[i], r => r.ItemIndex == holdout.Items[i]);
            ndcg[i] = at < 0 ? 0 : 1 / Math.Log2(at - i * K + 2);
        }
        return ndcg;
    }

    /// <summary>The mean of <paramref name="better"/> - <paramref name="other"/> over the same users, and its standard error.</summary>
    private static (double Gap, double Error) PairedGap(double[] better, double[] other)
    {
        var differences = better.Zip(other, (b, o) => b - o).ToArray();
        var mean = differences.Average();
        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (differences.Length - 1);
        return (mean, Math.Sqrt(variance / differences.Length));
    }

    /// <summary>
    /// The transformer is scored where at least 200 users have 5 or more ordered events, and skipped with the reason
    /// otherwise. (It does not win the generated sequential shop: the gate's hold-out and the validation items are
    /// seeded random choices, not each user's newest item.)
    /// </summary>
    [Fact]
    public async Task TheTransformerIsACandidateOnlyWhenEventsAreOrderedAndPlentiful()
    {
        // Popularity beside it (the first trial, which always completes): the other kinds have nothing to do with this.
        var options = Options("auto", 2);
        options.SearchModels = ["popularity", "transformer"];
        var (data, sequences) = ShopData.CreateWithSequences(Shape("sequential"));
        var report = await Train(data, options, sequences);

        var transformer = report.Search!.Candidates.Single(c => c.Kind == "transformer");
        Assert.Null(transformer.Error);
        Assert.Contains("NDCG@10", transformer.Validation.Keys);

        var (tiny, tinySequences) = ShopData.CreateWithSequences(Shape("tiny two tastes"));
        var skipped = (await Train(tiny, options, tinySequences)).Search!.Candidates.Single(c => c.Kind == "transformer");
        Assert.StartsWith("skipped: learns from event order, and only", skipped.Error, StringComparison.Ordinal);
        var unordered = (await Train(data, options)).Search!.Candidates.Single(c => c.Kind == "transformer");
        Assert.Equal("skipped: learns from event order, and the events are not ordered", unordered.Error);
    }

    [Fact]
    public async Task SearchEveryRetrainsTheWinnerWithItsStoredOptionsBetweenSearchesAcrossARestart()
    {
        var data = ShopData.Create(Shape("ml-100k-like"));
        var options = Options("auto", 5);
        // Two kinds that can win and one that warm-starts are enough to follow the winner across runs.
        options.SearchModels = ["popularity", "itemknn", "als"];
        options.SearchEvery = 3;
        var store = new InMemoryStore();

        var runs = new List<TrainingReport>();
        for (var run = 0; run < 4; run++)
        {
            // A new registry loading the store for every run: what a restart between runs keeps is what counts.
            using var registry = new ModelRegistry(store);
            await registry.LoadAsync(Ct);
            runs.Add(await new ModelTrainer(registry, options).TrainAsync(data.Matrix, data.UserIds, data.ItemIds, data.Matrix.NonZeros,
                cancellationToken: Ct));
            Assert.True(runs[^1].Outcome.Promoted, runs[^1].Outcome.Reason);
        }

        var (first, second, third, fourth) = (runs[0], runs[1], runs[2], runs[3]);
        Assert.NotNull(first.Search);
        Assert.Null(first.Retrain);
        Assert.NotEqual("popularity", first.Kind);
        var winner = first.Search.Options.ToDictionary();
        foreach (var (report, count) in new[] { (second, 1), (third, 2) })
        {
            Assert.Null(report.Search);
            var retrain = Assert.IsType<WinnerRetrain>(report.Retrain);
            Assert.Equal(first.Kind, report.Kind);
            Assert.Equal(winner, retrain.Options);
            Assert.Equal(count, retrain.RunsSinceSearch);
            Assert.Equal(report.Outcome.Version - 1, retrain.FromVersion);
            Assert.Equal(count, report.CandidateMetrics[ModelTrainer.RunsSinceSearch]);
            Assert.Equal(report.Kind is "als" or "bpr", report.WarmStarted);
        }
        Assert.NotNull(fourth.Search);
        Assert.Equal(0, fourth.CandidateMetrics[ModelTrainer.RunsSinceSearch]);
        // The last winner's options are the first trial of its kind in the next search.
        Assert.Equal(winner, fourth.Search.Candidates.First(c => c.Kind == first.Kind).Options);
    }

    [Theory]
    [InlineData("ml-100k-like")]
    [InlineData("sparse e-commerce")]
    public async Task TheGraphModelWithDefaultOptionsReachesNinetyPercentOfAlsAndTwicePopularity(string shape)
    {
        var data = ShopData.Create(Shape(shape));
        var lightgcn = await Train(data, Options("lightgcn"));
        var als = await Train(data, Options("als"));

        Assert.Equal("lightgcn", lightgcn.Kind);
        var (graph, factors, popularity) = (lightgcn.CandidateMetrics["ndcg@10"], als.CandidateMetrics["ndcg@10"],
            lightgcn.BaselineMetrics!["ndcg@10"]);
        Assert.True(graph >= 0.9 * factors && graph >= 2 * popularity,
            $"{shape}: lightgcn {graph:F4}, als {factors:F4}, popularity {popularity:F4}");
    }

    [Fact]
    public async Task TheSearchReportsEveryKindWithItsOptionsAndValidationAndWhyTheWinnerWon()
    {
        var data = ClusteredData.Create();
        var report = await Train(data, Options("auto"));

        var search = Assert.IsType<Evaluation.Tuning.SelectionOutcome>(report.Search);
        Assert.Equal(new TrainingOptions().SearchModels, search.Candidates.Select(c => c.Kind).Distinct());
        var scored = search.Candidates.Where(c => c.Error is null).ToArray();
        Assert.All(scored, c => Assert.Contains("NDCG@10", c.Validation.Keys));
        Assert.All(scored, c => Assert.Contains("threads", c.Options.Keys));
        // The winner's best on the search's split (the finalists are scored on more splits and the best mean wins).
        Assert.Equal(scored.Where(c => c.Kind == search.Kind).Max(c => c.Validation["NDCG@10"]), search.Value);
        Assert.Equal(search.Kind, report.Kind);
        Assert.NotEqual("popularity", report.Kind);
        Assert.StartsWith($"{search.Kind} had the best validation ndcg@10", search.Why, StringComparison.Ordinal);
        // The two best kinds were scored on the two confirmation splits too.
        Assert.Contains("on average over 3 splits", search.Why, StringComparison.Ordinal);
        Assert.Equal(search.Value, report.CandidateMetrics["search.validation.ndcg@10"]);
        Assert.True(search.Candidates.Count > new TrainingOptions().SearchModels.Count, "the two best kinds' options were searched too");
    }

    /// <summary>
    /// A large shop (40,000 users, 6,000 items, about 480,000 events): the search ends within its budget plus
    /// <see cref="s_budgetMargin"/>, the stated margin: the first trial (popularity, cheapest) always completes, and a
    /// cancelled trial stops at its next check (an ALS iteration, a BPR or LightGCN step, a 256-column block of EASE's
    /// Cholesky, a chunk of scored users).
    /// </summary>
    [Fact]
    public async Task ALargeShopsSearchEndsWithinItsBudgetAndAStatedMargin()
    {
        var data = ShopData.Create(Shape("large"));
        var options = Options("auto");
        options.SearchBudget = TimeSpan.FromSeconds(3);
        options.SearchTrials = 100;

        var report = await Train(data, options);

        var search = report.Search!;
        Assert.InRange(search.Duration, TimeSpan.Zero, options.SearchBudget + s_budgetMargin);
        Assert.Contains(search.Candidates, c => c.Error is not null && (c.Error.StartsWith("skipped: the search budget", StringComparison.Ordinal)
            || c.Error.StartsWith("over budget", StringComparison.Ordinal)));
        Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
    }

    private static readonly TimeSpan s_budgetMargin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ATinyShopSearchesToo()
    {
        var data = ShopData.Create(Shape("tiny two tastes"));
        var report = await Train(data, Options("auto"));

        Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
        Assert.Contains("untested: the hold-out has", report.Outcome.Reason, StringComparison.Ordinal);
        Assert.NotNull(report.Search);
        Assert.Contains(report.Search.Candidates, c => c.Kind == "als" && c.Error is null);
    }

    [Fact]
    public void AutoIsTheDefaultAndRejectsOptionsNotEveryKindHas()
    {
        Assert.Equal(TrainingOptions.Auto, new TrainingOptions().Model);
        var options = new TrainingOptions { ModelOptions = ["factors=32"] };

        var error = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Contains("apply to every kind searched", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TrainingOptions { SearchModels = ["als", "nope"] }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { SearchBudget = TimeSpan.Zero }.Validate());
    }

    private static async Task<TrainingReport> Train(ClusteredData data, TrainingOptions options, InteractionTable? sequences = null) =>
        (await TrainKeeping(data, options, sequences)).Report;

    /// <summary>One run on a new registry: its report and the model it promoted.</summary>
    private static async Task<(TrainingReport Report, IRecommender Model)> TrainKeeping(ClusteredData data, TrainingOptions options,
        InteractionTable? sequences = null)
    {
        using var registry = new ModelRegistry(new InMemoryStore());
        var report = await new ModelTrainer(registry, options).TrainAsync(data.Matrix, data.UserIds, data.ItemIds, data.Matrix.NonZeros, null,
            sequences, Ct);
        return (report, registry.Current!.Model);
    }
}
