using Fresco.Engine.Experiments;
using Fresco.Engine.Impressions;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Engine;
using Xunit;

namespace Fresco.Engine.Tests.Experiments;

/// <summary>
/// Experiments in the engine: validated at put with the field named, assigning only while they run, sticky, following
/// the weights, independent across experiments, stored and reloaded by another replica, and read through
/// <see cref="IExperimentOutcomes"/> for results.
/// </summary>
public sealed class EngineExperimentTests : EngineTestBase
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Engine.PutScenarioAsync("home", new Scenario { Filter = new ItemRule { Categories = ["odd"] } }, Ct);
        await Engine.PutScenarioAsync("home-even", new Scenario { Filter = new ItemRule { Categories = ["even"] } }, Ct);
        await Engine.PutScenarioAsync("cart", new Scenario(), Ct);
    }

    private static Experiment Split(int from = 1, int to = 2, string scenario = "home", params ExperimentVariant[] variants) => new()
    {
        Scenario = scenario,
        Variants = variants.Length > 0 ? variants : [new() { Name = "control", Weight = 50 }, new() { Name = "even", Weight = 50, Scenario = "home-even" }],
        Start = T0.AddHours(from),
        End = T0.AddHours(to),
    };

    [Fact]
    public async Task AUserIsAssignedOnlyWhileTheExperimentRunsAndAlwaysToTheSameVariant()
    {
        var put = await Engine.PutExperimentAsync("boost", Split(), Ct);
        Assert.Equal("scheduled", put.Status);
        Assert.Null(Engine.AssignExperiment("home", "u1"));

        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("running", (await Engine.GetExperimentAsync("boost", Ct))!.Status);
        var assigned = Enumerable.Range(0, 200).Select(u => Engine.AssignExperiment("home", $"u{u}")!).ToArray();
        Assert.Equal(["control", "even"], assigned.Select(a => a.Variant).Distinct().Order(StringComparer.Ordinal));
        Assert.All(assigned, a => Assert.Equal(a.Variant == "even" ? "home-even" : "home", a.Scenario));
        Assert.All(assigned, a => Assert.Equal($"boost/{a.Variant}", a.Header));
        Assert.Equal(assigned, Enumerable.Range(0, 200).Select(u => Engine.AssignExperiment("home", $"u{u}")!)); // the same objects
        Assert.Null(Engine.AssignExperiment("cart", "u1"));

        // The variant's scenario answers: odd items for the control, even ones for the variant.
        var even = assigned.Select((a, u) => (a, u)).First(p => p.a.Variant == "even");
        await Add(View($"u{even.u}", "i0", 2));
        Assert.All(Ids(Engine.Recommend($"u{even.u}", new RecommendQuery(4, Scenario: even.a.Scenario))),
            id => Assert.Equal(0, int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) % 2));

        Time.Advance(TimeSpan.FromHours(1));
        Assert.Null(Engine.AssignExperiment("home", "u1"));
        Assert.Equal("ended", (await Engine.GetExperimentAsync("boost", Ct))!.Status);
    }

    [Fact]
    public void AssignmentFollowsTheWeightsAndIsIndependentAcrossExperiments()
    {
        const int users = 100_000;
        var weighted = new CompiledExperiment("w", Split(variants: [new() { Name = "a", Weight = 1 }, new() { Name = "b", Weight = 2 }, new() { Name = "c", Weight = 7 }]));
        var counts = Enumerable.Range(0, users).GroupBy(u => weighted.Assign($"user-{u}").Variant).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (variant, share) in new[] { ("a", 0.1), ("b", 0.2), ("c", 0.7) })
        {
            var sd = Math.Sqrt(users * share * (1 - share));
            Assert.InRange(counts[variant], (users * share) - (4.5 * sd), (users * share) + (4.5 * sd));
        }

        var first = new CompiledExperiment("first", Split());
        var second = new CompiledExperiment("second", Split());
        var cells = Enumerable.Range(0, users).GroupBy(u => (first.Assign($"user-{u}").Variant, second.Assign($"user-{u}").Variant)).ToArray();
        Assert.Equal(4, cells.Length);
        var cellSd = Math.Sqrt(users * 0.25 * 0.75);
        Assert.All(cells, cell => Assert.InRange(cell.Count(), (users / 4.0) - (4.5 * cellSd), (users / 4.0) + (4.5 * cellSd)));
    }

    public static TheoryData<string, Func<Experiment, Experiment>> BadExperiments => new()
    {
        { "Scenario", e => e with { Scenario = "nowhere" } },
        { "Variants", e => e with { Variants = [e.Variants[0]] } },
        { "Variants[1].Name", e => e with { Variants = [e.Variants[0], e.Variants[1] with { Name = "control" }] } },
        { "Variants[0].Name", e => e with { Variants = [e.Variants[0] with { Name = "a/b" }, e.Variants[1]] } },
        { "Variants[1].Weight", e => e with { Variants = [e.Variants[0], e.Variants[1] with { Weight = 0 }] } },
        { "Variants[1].Scenario", e => e with { Variants = [e.Variants[0], e.Variants[1] with { Scenario = "nowhere" }] } },
        { "Variants[1].Model", e => e with { Variants = [e.Variants[0], e.Variants[1] with { Model = "" }] } },
        { "Start", e => e with { Start = default } },
        { "End", e => e with { End = e.Start } },
        { "Start", e => e with { Start = T0.AddHours(9), End = T0.AddHours(11) } }, // overlaps "first" (10 to 12 h)
    };

    [Theory]
    [MemberData(nameof(BadExperiments))]
    public async Task ABadExperimentIsRefusedNamingTheFieldAndNothingIsStored(string field, Func<Experiment, Experiment> spoil)
    {
        await Engine.PutExperimentAsync("first", Split(10, 12), Ct);
        var e = await Assert.ThrowsAsync<ExperimentException>(() => Engine.PutExperimentAsync("second", spoil(Split()), Ct));
        Assert.Equal(field, e.Where);
        Assert.Equal(["first"], (await Engine.ListExperimentsAsync(Ct)).Select(x => x.Name));
    }

    [Fact]
    public async Task ExperimentsOnOneScenarioMayFollowEachOtherAndOneMayBeMoved()
    {
        await Engine.PutExperimentAsync("first", Split(1, 2), Ct);
        await Engine.PutExperimentAsync("second", Split(2, 3), Ct); // the end is exclusive
        await Engine.PutExperimentAsync("first", Split(0, 2), Ct); // replacing itself is no overlap
        await Engine.PutExperimentAsync("other", Split(1, 3, "cart"), Ct);
        Assert.Equal(["first", "other", "second"], (await Engine.ListExperimentsAsync(Ct)).Select(x => x.Name));
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal("second", Engine.AssignExperiment("home", "u1")!.Experiment);
    }

    [Fact]
    public async Task AnotherReplicaAssignsAfterAReloadAndAfterARestart()
    {
        var announced = new List<string>();
        await Engine.DisposeAsync();
        Engine = await new FrescoEngineBuilder(Store, Options(0), Trainer) { Time = Time, ExperimentsChanged = announced.Add }.StartAsync(Ct);
        await using var replica = await StartAsync();
        Time.Advance(TimeSpan.FromHours(1));

        await Engine.PutExperimentAsync("boost", Split(), Ct);
        Assert.Equal(["boost"], announced);
        Assert.Null(replica.AssignExperiment("home", "u1"));
        await replica.ReloadExperimentsAsync(Ct);
        Assert.Equal(Engine.AssignExperiment("home", "u1"), replica.AssignExperiment("home", "u1"));

        await Engine.DisposeAsync();
        Engine = await StartAsync();
        Assert.Equal(replica.AssignExperiment("home", "u1"), Engine.AssignExperiment("home", "u1"));

        Assert.True(await replica.DeleteExperimentAsync("boost", Ct));
        Assert.False(await replica.DeleteExperimentAsync("boost", Ct));
        Assert.NotNull(Engine.AssignExperiment("home", "u1"));
        await Engine.ReloadExperimentsAsync(Ct);
        Assert.Null(Engine.AssignExperiment("home", "u1"));
        Assert.Null(await Engine.GetExperimentAsync("boost", Ct));
    }

    [Fact]
    public async Task ResultsAreReadFromTheImpressionsRecordUnlessAnotherOutcomeSourceIsGiven()
    {
        await Engine.PutExperimentAsync("boost", Split(), Ct);
        var empty = (await Engine.GetExperimentResultsAsync("boost", Ct))!;
        Assert.Equal((0L, null), (empty.Variants.Sum(v => v.Users), empty.SampleRatioPValue));
        Time.Advance(TimeSpan.FromHours(1)); // the experiment starts
        var assignment = Engine.AssignExperiment("home", "a")!;
        Engine.RecordImpression(new ImpressionRequest("a", "home", [new ScoredId("i1", 1, "test")])
        {
            Experiment = assignment.Experiment,
            Variant = assignment.Variant,
        });
        for (var i = 0; i < 500 && (await Engine.GetExperimentResultsAsync("boost", Ct))!.Variants.Sum(v => v.Impressions) == 0; i++)
        {
            await Task.Delay(20, Ct); // impressions are stored in the background
        }
        var recorded = (await Engine.GetExperimentResultsAsync("boost", Ct))!;
        Assert.Equal((1L, 1L), (recorded.Variants.Single(v => v.Name == assignment.Variant).Users, recorded.Variants.Sum(v => v.Impressions)));

        var outcomes = new FixedOutcomes([
            new("u1", "control", 10, 1, 0, 0, 0), new("u2", "control", 10, 2, 1, 1, 30), new("u3", "control", 5, 0, 0, 0, 0),
            new("u4", "even", 10, 3, 1, 1, 20), new("u5", "even", 20, 4, 2, 0, 0), new("u6", "gone", 10, 10, 10, 10, 10),
        ]);
        await Engine.DisposeAsync();
        Engine = await new FrescoEngineBuilder(Store, Options(0), Trainer) { Time = Time, ExperimentOutcomes = outcomes }.StartAsync(Ct);
        Assert.Null(await Engine.GetExperimentResultsAsync("nothing", Ct));
        var results = (await Engine.GetExperimentResultsAsync("boost", Ct))!;
        Assert.Equal(("boost", "home"), (results.Experiment, results.Scenario));
        var (control, even) = (results.Variants[0], results.Variants[1]);
        Assert.Equal((3L, 25L, 3L, 1L, 1L), (control.Users, control.Impressions, control.Clicks, control.Carts, control.Purchases));
        Assert.Equal((2L, 30L, 7L, 3L, 1L), (even.Users, even.Impressions, even.Clicks, even.Carts, even.Purchases));
        Assert.Equal(3 / 25.0, control.Ctr!.Value, 12);
        Assert.Equal(1 / 3.0, control.ConversionRate!.Value, 12);
        Assert.Equal(10.0, control.RevenuePerUser!.Value, 12);
        Assert.Null(control.Difference);
        Assert.Equal((7 / 30.0) - (3 / 25.0), even.Difference!.Ctr!.Value, 12);
        Assert.Equal(0.5 - (1 / 3.0), even.Difference.ConversionRate!.Value, 12);
        Assert.InRange(even.PValue!.Ctr!.Value, 0, 1);
        Assert.NotNull(results.SampleRatioPValue);
    }

    private sealed class FixedOutcomes(IReadOnlyList<ExperimentUserOutcome> rows) : IExperimentOutcomes
    {
        public Task<IReadOnlyList<ExperimentUserOutcome>> GetOutcomesAsync(string experiment, CancellationToken cancellationToken = default) =>
            Task.FromResult(rows);
    }
}
