using Fresco.Core.Data.Synthetic;
using Fresco.Engine.Models;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Xunit;

namespace Fresco.Engine.Tests.Training;

/// <summary><c>Training:Model = auto</c> on generated shops of several shapes.</summary>
public sealed class AutoModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Shapes => ["ml-100k-like", "sparse e-commerce"];

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
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static TrainingOptions Options(string model) => new()
    {
        Model = model,
        ModelOptions = ["threads=2"],
        // The trial count binds, not the clock, so a loaded machine changes nothing.
        SearchBudget = TimeSpan.FromMinutes(10),
        SearchTrials = 12,
        MinEvents = 10,
        // 30% of the users: a hold-out large enough that kinds a few percent apart are told apart.
        HoldoutFraction = 0.3,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AutoIsWithinTenPercentOfTheBestSingleKindOnTheGatesHoldout(string shape)
    {
        var data = ShopData.Create(Shape(shape));
        var auto = await Train(data, Options("auto"));

        var best = 0.0;
        var bestKind = "";
        foreach (var kind in new TrainingOptions().SearchModels)
        {
            var single = await Train(data, Options(kind));
            if (single.CandidateMetrics["ndcg@10"] > best)
            {
                (best, bestKind) = (single.CandidateMetrics["ndcg@10"], single.Kind);
            }
        }

        Assert.True(auto.Outcome.Promoted, auto.Outcome.Reason);
        Assert.True(auto.CandidateMetrics["ndcg@10"] >= 0.9 * best,
            $"{shape}: auto chose {auto.Kind} ({auto.CandidateMetrics["ndcg@10"]:F4}); {bestKind} reaches {best:F4}. {auto.Search!.Why}");
        Assert.True(auto.CandidateMetrics["ndcg@10"] > auto.BaselineMetrics!["ndcg@10"]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
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
        Assert.Equal(scored.Max(c => c.Validation["NDCG@10"]), search.Value);
        Assert.Equal(search.Kind, report.Kind);
        Assert.NotEqual("popularity", report.Kind);
        Assert.StartsWith($"{search.Kind} had the best validation ndcg@10", search.Why, StringComparison.Ordinal);
        Assert.Equal(search.Value, report.CandidateMetrics["search.validation.ndcg@10"]);
        Assert.True(search.Candidates.Count > new TrainingOptions().SearchModels.Count, "the two best kinds' options were searched too");
    }

    [Fact]
    public async Task TheSearchStaysInsideItsBudget()
    {
        var data = ShopData.Create(Shape("ml-100k-like"));
        var options = Options("auto");
        options.SearchBudget = TimeSpan.FromSeconds(1);
        options.SearchTrials = 100;

        var report = await Train(data, options);

        var search = report.Search!;
        Assert.InRange(search.Duration, TimeSpan.Zero, TimeSpan.FromSeconds(6));
        Assert.Contains(search.Candidates, c => c.Error is not null && (c.Error.StartsWith("skipped: the search budget", StringComparison.Ordinal)
            || c.Error.StartsWith("over budget", StringComparison.Ordinal)));
        Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
    }

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

    private static async Task<TrainingReport> Train(ClusteredData data, TrainingOptions options)
    {
        using var registry = new ModelRegistry(new InMemoryStore());
        return await new ModelTrainer(registry, options).TrainAsync(data.Matrix, data.UserIds, data.ItemIds, data.Matrix.NonZeros, null,
            cancellationToken: Ct);
    }
}
