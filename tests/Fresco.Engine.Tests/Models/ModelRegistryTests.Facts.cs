using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Engine.Tests.Models;

/// <summary>Promotion, the quality gate, rollback, restart and pruning.</summary>
public abstract partial class ModelRegistryTests
{
    [Fact]
    public async Task TheFirstProposalIsPromotedWithoutAServingMetric()
    {
        Assert.Null(Registry.Current);
        var outcome = await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);

        Assert.True(outcome.Promoted);
        Assert.Equal(1, outcome.Version);
        var current = Assert.IsType<ServingModel>(Registry.Current);
        Assert.Equal(1, current.Version);
        Assert.Same(Popularity, current.Model);
        Assert.Equal("popularity", current.Kind);
        Assert.Equal(0.5, current.Metrics["ndcg"]);
        Assert.Equal(1, (await Store.GetServingModelAsync(Ct))?.Version);
    }

    [Fact]
    public async Task AWorseCandidateIsStoredAsRejectedAndTheServingModelStays()
    {
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);
        // threshold 0.5 * (1 - 0.05) = 0.475 > 0.40
        var outcome = await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.40, 0.5), Gate, Ct);

        Assert.False(outcome.Promoted);
        Assert.Equal(2, outcome.Version);
        Assert.StartsWith("rejected", outcome.Reason, StringComparison.Ordinal);
        Assert.Same(Popularity, Registry.Current?.Model);
        Assert.Equal(1, Registry.Current?.Version);
        Assert.Equal(1, (await Store.GetServingModelAsync(Ct))?.Version);
        var stored = (await Store.ListModelsAsync(Ct)).Single(v => v.Version == 2);
        Assert.Equal(1, stored.Metrics[ModelRegistry.RejectedMarker]);
    }

    [Fact]
    public async Task ASlightlyWorseCandidateWithinTheMarginIsPromoted()
    {
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);
        var outcome = await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.48, 0.5), Gate, Ct); // 0.48 >= 0.475

        Assert.True(outcome.Promoted);
        Assert.Same(ItemKnn, Registry.Current?.Model);
        Assert.Equal(2, Registry.Current?.Version);
        Assert.Equal(2, (await Store.GetServingModelAsync(Ct))?.Version);
    }

    [Fact]
    public async Task RollbackServesThePreviousModelAgainLoadedFromTheStore()
    {
        var popularScores = Scores(Popularity, 0);
        Assert.NotEqual(popularScores, Scores(ItemKnn, 0)); // the two models must be distinguishable
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);
        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.6, 0.5), Gate, Ct);

        var outcome = await Registry.RollbackAsync(Ct);

        Assert.True(outcome.Promoted);
        Assert.Equal(1, outcome.Version);
        var current = Assert.IsType<ServingModel>(Registry.Current);
        Assert.Equal(1, current.Version);
        Assert.Equal("popularity", current.Kind);
        Assert.NotSame(Popularity, current.Model);
        Assert.Equal(popularScores, Scores(current.Model, 0));
        Assert.Equal(IdsFor(Popularity).ItemIds, current.Ids.ItemIds);
        Assert.Equal(IdsFor(Popularity).UserIds, current.Ids.UserIds);
        Assert.Equal(1, (await Store.GetServingModelAsync(Ct))?.Version);
    }

    [Fact]
    public async Task RollbackSkipsRejectedVersionsAndFailsWhenNothingIsOlder()
    {
        Assert.False((await Registry.RollbackAsync(Ct)).Promoted); // nothing served
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);
        var alone = await Registry.RollbackAsync(Ct);
        Assert.False(alone.Promoted);
        Assert.Equal(-1, alone.Version);

        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.1, 0.5), Gate, Ct); // v2 rejected
        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.7, 0.5), Gate, Ct); // v3 promoted
        var outcome = await Registry.RollbackAsync(Ct);

        Assert.True(outcome.Promoted);
        Assert.Equal(1, outcome.Version);
        Assert.Equal(1, Registry.Current?.Version);
    }

    [Fact]
    public async Task ARestartComesBackWithTheLastPromotedModel()
    {
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);
        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.6, 0.5), Gate, Ct);
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.1, 0.6), Gate, Ct); // v3 rejected

        await RestartAsync();
        Assert.Null(Registry.Current);
        Assert.True(await Registry.LoadAsync(Ct));

        var current = Assert.IsType<ServingModel>(Registry.Current);
        Assert.Equal(2, current.Version);
        Assert.Equal("itemknn", current.Kind);
        Assert.Equal(0.6, current.Metrics["ndcg"]);
        Assert.Equal(Scores(ItemKnn, 3), Scores(current.Model, 3));
        var next = await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.7, 0.6), Gate, Ct);
        Assert.Equal(4, next.Version); // numbering continues after the restart
    }

    [Fact]
    public async Task LoadWithAnEmptyStoreServesNothing()
    {
        Assert.False(await Registry.LoadAsync(Ct));
        Assert.Null(Registry.Current);
    }

    [Fact]
    public async Task PruningKeepsTheNewestVersionsAndTheServingOne()
    {
        var always = new QualityGate("ndcg", 1); // threshold 0: every candidate passes
        for (var i = 0; i < 5; i++)
        {
            await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, 0.5), always, Ct);
        }

        Assert.Equal([5L, 4L, 3L], (await Store.ListModelsAsync(Ct)).Select(v => v.Version));

        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.1, 0.5), Gate, Ct); // v6 rejected
        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.1, 0.5), Gate, Ct); // v7 rejected
        await Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.1, 0.5), Gate, Ct); // v8 rejected
        Assert.Equal([8L, 7L, 6L, 5L], (await Store.ListModelsAsync(Ct)).Select(v => v.Version));
        Assert.Equal(5, Registry.Current?.Version);
    }

    [Fact]
    public async Task BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelRegistry(Store, new ModelRegistryOptions { KeepVersions = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), new QualityGate("ndcg", 1.5), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ProposeAsync(Popularity, new ModelIdSpace([], ["only-one"]), Report(0.5, null), Gate, Ct));
        await Registry.ProposeAsync(Popularity, IdsFor(Popularity), Report(0.5, null), Gate, Ct);
        // while serving, the serving model's metric on the same hold-out is required
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.9, null), Gate, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ProposeAsync(ItemKnn, IdsFor(ItemKnn), Report(0.9, null), new QualityGate("recall", 0), Ct));
        Assert.Single(await Store.ListModelsAsync(Ct)); // refused proposals store nothing
    }
}
