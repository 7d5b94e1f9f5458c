using Fresco.Engine.Models;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Fresco.Models.Als;
using Fresco.Models.Popularity;
using Xunit;

namespace Fresco.Engine.Tests.Training;

public sealed class ModelTrainerTests : IDisposable
{
    private readonly ModelRegistry _registry = new(new InMemoryStore());
    private readonly ClusteredData _data = ClusteredData.Create();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _registry.Dispose();

    internal static TrainingOptions Options(string model = "als", params string[] set) => new()
    {
        Model = model,
        ModelOptions = [.. set.Length > 0 ? set : ["factors=16", "iterations=10", "regularization=1", "threads=2"]],
        HoldoutFraction = 0.3,
        MinEvents = 10,
    };

    [Fact]
    public async Task TheFirstModelIsPromotedAndItsHoldoutMetricsBeatChance()
    {
        var report = await Train(Options());

        Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
        Assert.Equal(1, report.Outcome.Version);
        Assert.Null(report.ServingMetrics);
        Assert.False(report.WarmStarted);
        Assert.Equal(("als", 400, 200, 4000L), (report.Kind, report.Users, report.Items, report.Events));
        var held = Holdout.Create(_data.Matrix, _data.UserIds, _data.ItemIds, 0.3, new TrainingOptions().Seed).Users.Length;
        Assert.Equal(held, report.CandidateMetrics["holdout.users"]);
        // chance: 10 of ~190 unseen items -> hr@10 ~ 0.05; within the group 10 of 15 unseen items -> ~0.67
        Assert.InRange(report.CandidateMetrics["hr@10"], 0.4, 1.0);
        Assert.Equal(report.CandidateMetrics["hr@10"], report.CandidateMetrics["recall@10"], 12);
        Assert.InRange(report.CandidateMetrics["ndcg@10"], 0.15, report.CandidateMetrics["hr@10"]);
        var current = Assert.IsType<ServingModel>(_registry.Current);
        Assert.Equal(1, current.Version);
        Assert.IsType<AlsModel>(current.Model);
        Assert.Equal(_data.UserIds, current.Ids.UserIds);
    }

    [Fact]
    public async Task AGoodCandidateIsPromotedAfterBeingComparedOnTheSameHoldout()
    {
        await Train(Options());
        var report = await Train(Options());

        Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
        Assert.Equal(2, report.Outcome.Version);
        Assert.True(report.WarmStarted);
        var serving = Assert.IsType<Dictionary<string, double>>(report.ServingMetrics);
        Assert.InRange(serving["ndcg@10"], 0.15, 1.0);
        Assert.Equal(report.CandidateMetrics["holdout.users"], serving["holdout.users"]);
        Assert.Equal(2, _registry.Current?.Version);
    }

    [Fact]
    public async Task AWorseCandidateIsRejectedAndTheServingModelStays()
    {
        await Train(Options());
        var serving = _registry.Current;

        var report = await Train(Options("popularity", "threads=1"));

        Assert.False(report.Outcome.Promoted, report.Outcome.Reason);
        Assert.StartsWith("rejected", report.Outcome.Reason, StringComparison.Ordinal);
        Assert.True(report.CandidateMetrics["ndcg@10"] < 0.5 * report.ServingMetrics!["ndcg@10"]);
        Assert.Same(serving, _registry.Current);
        Assert.Equal(1, _registry.Current?.Version);
    }

    [Fact]
    public async Task AWarmStartReachesInOneIterationWhatAColdStartDoesNot()
    {
        await Train(Options("als", "factors=16", "iterations=15", "regularization=1", "threads=2"));
        var oneIteration = Options("als", "factors=16", "iterations=1", "regularization=1", "threads=2");
        oneIteration.GateMargin = 0.5;

        var warm = await Train(oneIteration);
        using var coldRegistry = new ModelRegistry(new InMemoryStore());
        var cold = await new ModelTrainer(coldRegistry, oneIteration).TrainAsync(_data.Matrix, _data.UserIds, _data.ItemIds,
            _data.Matrix.NonZeros, null, cancellationToken: Ct);

        Assert.True(warm.WarmStarted);
        Assert.False(cold.WarmStarted);
        var served = warm.ServingMetrics!["ndcg@10"];
        Assert.InRange(warm.CandidateMetrics["ndcg@10"], 0.9 * served, 1.0);
        Assert.True(cold.CandidateMetrics["ndcg@10"] < warm.CandidateMetrics["ndcg@10"],
            $"cold {cold.CandidateMetrics["ndcg@10"]} vs warm {warm.CandidateMetrics["ndcg@10"]}");
    }

    [Fact]
    public async Task NoWarmStartFromAnotherKindOrReorderedIds()
    {
        await Train(Options("popularity", "threads=1"));
        var afterPopularity = await Train(Options());
        Assert.False(afterPopularity.WarmStarted);

        var reversed = _data with { ItemIds = [.. _data.ItemIds.Reverse()] };
        var report = await new ModelTrainer(_registry, Options()).TrainAsync(reversed.Matrix, reversed.UserIds, reversed.ItemIds,
            4000, null, cancellationToken: Ct);
        Assert.False(report.WarmStarted);
    }

    [Fact]
    public async Task AServingModelOlderThanTheDataIsEvaluatedByFoldInAndMissesNewItems()
    {
        var older = _data.Prefix(300, 150);
        await new ModelTrainer(_registry, Options()).TrainAsync(older.Matrix, older.UserIds, older.ItemIds, 3000, null, cancellationToken: Ct);

        var report = await Train(Options());

        Assert.True(report.WarmStarted);
        var held = Holdout.Create(_data.Matrix, _data.UserIds, _data.ItemIds, 0.3, new TrainingOptions().Seed);
        var newItems = held.Items.Count(item => item >= 150);
        Assert.InRange(newItems, 1, held.Items.Length - 1);
        // held-out items the serving model does not know are misses for both models
        var share = 1.0 - (double)newItems / held.Items.Length;
        Assert.InRange(report.ServingMetrics!["hr@10"], 0.1, share);
        Assert.InRange(report.CandidateMetrics["hr@10"], 0.1, share);
    }

    [Fact]
    public async Task AGoodCandidateIsComparedWithPopularityOnTheSameHoldoutAndBeatsIt()
    {
        var report = await Train(Options());

        Assert.Equal("als", report.Kind);
        var baseline = Assert.IsType<Dictionary<string, double>>(report.BaselineMetrics);
        Assert.Equal(report.CandidateMetrics["holdout.users"], baseline["holdout.users"]);
        Assert.True(baseline["ndcg@10"] < 0.5 * report.CandidateMetrics["ndcg@10"], $"popularity {baseline["ndcg@10"]}");
    }

    [Fact]
    public async Task ACandidateThatDoesNotBeatPopularityIsReplacedByPopularity()
    {
        // On popularity-shaped data an untrained BPR (random vectors) ranks at chance, far below popularity.
        var data = PopularData.Create();
        var report = await new ModelTrainer(_registry, Options("bpr", "epochs=1", "learning_rate=0.000001", "threads=1"))
            .TrainAsync(data.Matrix, data.UserIds, data.ItemIds, data.Matrix.NonZeros, null, cancellationToken: Ct);

        Assert.True(report.Outcome.Promoted, report.Outcome.Reason);
        Assert.StartsWith("bpr ndcg@10 ", report.Outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("does not beat popularity", report.Outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("popularity", report.Kind);
        Assert.Equal(report.BaselineMetrics, report.CandidateMetrics);
        Assert.IsType<PopularityModel>(_registry.Current?.Model);
    }

    [Fact]
    public async Task AUselessCandidateIsNotPromotedOverAUselessServingModel()
    {
        // The Taobao case: a model scoring 0 used to pass against a serving model scoring 0.
        var data = PopularData.Create();
        var useless = Options("bpr", "epochs=1", "learning_rate=0.000001", "threads=1");
        useless.GateMargin = 1;
        await new ModelTrainer(_registry, useless).TrainAsync(data.Matrix, data.UserIds, data.ItemIds, data.Matrix.NonZeros, null,
            cancellationToken: Ct);
        var report = await new ModelTrainer(_registry, useless).TrainAsync(data.Matrix, data.UserIds, data.ItemIds,
            data.Matrix.NonZeros, null, cancellationToken: Ct);

        Assert.Equal("popularity", report.Kind);
        Assert.IsType<PopularityModel>(_registry.Current?.Model);
        Assert.DoesNotContain("bpr", _registry.Current!.Kind, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHoldoutTooSmallToTellIsReportedAsUntestedNotAsPassed()
    {
        var tiny = ClusteredData.Create(users: 40, items: 20, groups: 2, perUser: 5);
        var useless = Options("bpr", "epochs=1", "learning_rate=0.000001", "threads=1");
        var trainer = new ModelTrainer(_registry, useless);
        var first = await trainer.TrainAsync(tiny.Matrix, tiny.UserIds, tiny.ItemIds, tiny.Matrix.NonZeros, null, cancellationToken: Ct);
        var second = await trainer.TrainAsync(tiny.Matrix, tiny.UserIds, tiny.ItemIds, tiny.Matrix.NonZeros, null, cancellationToken: Ct);

        Assert.Contains("untested: the hold-out has ", first.Outcome.Reason, StringComparison.Ordinal);
        Assert.True(second.Outcome.Promoted, second.Outcome.Reason);
        Assert.StartsWith("untested: the hold-out has ", second.Outcome.Reason, StringComparison.Ordinal);
        Assert.EndsWith("fewer than the 50 needed to tell models apart; the newer model serves", second.Outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("passed", second.Outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("bpr", second.Kind);
        Assert.Null(second.BaselineMetrics);
    }

    [Fact]
    public async Task TooFewEventsTrainNothing()
    {
        var report = await new ModelTrainer(_registry, Options()).TrainAsync(_data.Matrix, _data.UserIds, _data.ItemIds, 9, null, cancellationToken: Ct);

        Assert.False(report.Outcome.Promoted);
        Assert.Equal(-1, report.Outcome.Version);
        Assert.Empty(report.CandidateMetrics);
        Assert.Null(_registry.Current);
    }

    [Theory]
    [InlineData("ndcg")]
    [InlineData("ndcg@0")]
    [InlineData("auc@10")]
    public void AGateMetricTheEvaluatorDoesNotReportIsRejectedAtConstruction(string metric)
    {
        var options = Options();
        options.GateMetric = metric;
        Assert.Throws<ArgumentException>(() => new ModelTrainer(_registry, options));
    }

    private Task<TrainingReport> Train(TrainingOptions options) =>
        new ModelTrainer(_registry, options).TrainAsync(_data.Matrix, _data.UserIds, _data.ItemIds, _data.Matrix.NonZeros, null, cancellationToken: Ct);
}
