using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>The <see cref="IImpressionStore"/> contract: impressions, attributions and the outcomes of an experiment.</summary>
public abstract partial class StoreContractTests
{
    private static Impression Shown(string id, string? user, int seconds, string? experiment = null, string? variant = null, params string[] items) =>
        new(id, user, experiment is null ? null : "home", experiment is null ? null : 3, experiment, variant, items, T0.AddSeconds(seconds));

    private static Attribution Credit(string recommId, string user, string item, AttributionKind kind, double value = 0, string? type = null) =>
        new(recommId, user, item, type ?? kind.ToString().ToLowerInvariant(), kind, value, T0.AddSeconds(100));

    [Fact]
    public async Task AnImpressionIsStoredOnceWithEveryField()
    {
        var impression = Shown("r1", "u1", 5, "exp", "control", "i2", "i1", "i3");
        await Store.InsertImpressionsAsync([impression, Shown("r2", null, 6, null, null)], Ct);
        await Store.InsertImpressionsAsync([impression with { UserId = "changed" }], Ct); // an id already stored is kept
        await ReopenAsync();

        var stored = Assert.IsType<Impression>(await Store.GetImpressionAsync("r1", Ct));
        Assert.Equal(("r1", "u1", "home", 3L, "exp", "control"), (stored.Id, stored.UserId, stored.Scenario, stored.ScenarioVersion!.Value,
            stored.Experiment!, stored.Variant!));
        Assert.Equal(["i2", "i1", "i3"], stored.ItemIds);
        Assert.Equal(T0.AddSeconds(5).UtcTicks, stored.Time.UtcTicks);
        var anonymous = Assert.IsType<Impression>(await Store.GetImpressionAsync("r2", Ct));
        Assert.Null(anonymous.UserId);
        Assert.Null(anonymous.ScenarioVersion);
        Assert.Empty(anonymous.ItemIds);
        Assert.Null(await Store.GetImpressionAsync("nope", Ct));
    }

    [Fact]
    public async Task RecentImpressionsAreThoseOfKnownUsersSinceATimeNewestFirst()
    {
        await Store.InsertImpressionsAsync([Shown("r1", "u1", 1), Shown("r2", "u2", 3), Shown("r3", null, 4), Shown("r4", "u1", 5),
            Shown("r5", "u3", 2)], Ct);

        var recent = await Store.ListRecentImpressionsAsync(T0.AddSeconds(2), 10, Ct);
        Assert.Equal(["r4", "r2", "r5"], recent.Select(i => i.Id));
        Assert.Equal(["r4", "r2"], (await Store.ListRecentImpressionsAsync(T0, 2, Ct)).Select(i => i.Id));
    }

    [Fact]
    public async Task AnAttributionIsStoredOncePerKey()
    {
        var click = Credit("r1", "u1", "i1", AttributionKind.Click);
        var purchase = Credit("r1", "u1", "i1", AttributionKind.Purchase, 19.5);
        Assert.Equal(2, await Store.InsertAttributionsAsync([click, purchase], Ct));
        Assert.Equal(1, await Store.InsertAttributionsAsync([click with { Value = 7 }, Credit("r2", "u1", "i1", AttributionKind.Click)], Ct));
        await ReopenAsync();

        var stored = await Store.ListAttributionsAsync("r1", Ct);
        Assert.Equal(2, stored.Count);
        Assert.Equal(click, stored.Single(a => a.Kind == AttributionKind.Click) with { Time = click.Time });
        Assert.Equal(19.5, stored.Single(a => a.Kind == AttributionKind.Purchase).Value);
        Assert.Equal(T0.AddSeconds(100).UtcTicks, stored[0].Time.UtcTicks);
        Assert.Empty(await Store.ListAttributionsAsync("r3", Ct));
    }

    [Fact]
    public async Task OutcomesCountImpressionsAndAttributionsPerUserAndVariant()
    {
        await Store.InsertImpressionsAsync([
            Shown("a1", "u1", 1, "exp", "control", "i1", "i2"), Shown("a2", "u1", 2, "exp", "control", "i1"),
            Shown("b1", "u2", 3, "exp", "boost", "i3"), Shown("c1", "u3", 4, "exp", "boost", "i4"),
            Shown("x1", "u1", 5, "other", "control", "i1"), Shown("n1", "u4", 6, "exp", null, "i1"), Shown("n2", null, 7, "exp", "control", "i1"),
        ], Ct);
        await Store.InsertAttributionsAsync([
            Credit("a1", "u1", "i1", AttributionKind.Click), Credit("a1", "u1", "i2", AttributionKind.Click),
            Credit("a2", "u1", "i1", AttributionKind.Cart), Credit("a2", "u1", "i1", AttributionKind.Purchase, 10, "purchase"),
            Credit("a2", "u1", "i1", AttributionKind.Purchase, 2.5, "buy"), Credit("b1", "u2", "i3", AttributionKind.Click),
            Credit("x1", "u1", "i1", AttributionKind.Purchase, 100), Credit("unknown", "u1", "i1", AttributionKind.Click),
        ], Ct);

        var outcomes = await Store.GetExperimentOutcomesAsync("exp", Ct);
        Assert.Equal([
            new ExperimentUserOutcome("u1", "control", 2, 2, 1, 2, 12.5),
            new ExperimentUserOutcome("u2", "boost", 1, 1, 0, 0, 0),
            new ExperimentUserOutcome("u3", "boost", 1, 0, 0, 0, 0),
        ], outcomes);
        Assert.Empty(await Store.GetExperimentOutcomesAsync("none", Ct));
    }

    [Fact]
    public async Task TheLastStoredAnswerThatShowedAnItemToAUserWithinTheWindowIsFound()
    {
        await Store.InsertImpressionsAsync([Shown("r1", "u1", 10, null, null, "i1", "i2"), Shown("r2", "u1", 20, null, null, "i2"),
            Shown("r3", "u2", 30, null, null, "i1"), Shown("r4", "u1", 40, null, null, "i3"), Shown("r5", null, 50, null, null, "i1")], Ct);
        await ReopenAsync();

        Assert.Equal("r2", await Store.FindLastShownAsync("u1", "i2", T0, T0.AddSeconds(60), Ct)); // the newest
        Assert.Equal("r1", await Store.FindLastShownAsync("u1", "i2", T0, T0.AddSeconds(19), Ct)); // before the feedback
        Assert.Equal("r1", await Store.FindLastShownAsync("u1", "i1", T0.AddSeconds(10), T0.AddSeconds(10), Ct)); // both ends included
        Assert.Null(await Store.FindLastShownAsync("u1", "i1", T0.AddSeconds(11), T0.AddSeconds(60), Ct)); // out of the window
        Assert.Null(await Store.FindLastShownAsync("u1", "i4", T0, T0.AddSeconds(60), Ct)); // never shown
        Assert.Equal("r3", await Store.FindLastShownAsync("u2", "i1", T0, T0.AddSeconds(60), Ct)); // per user (not the anonymous r5)
        Assert.Null(await Store.FindLastShownAsync("u3", "i1", T0, T0.AddSeconds(60), Ct));
    }

    [Fact]
    public async Task ImpressionsAndAttributionsBeforeACutoffAreDeletedOldestFirstInBoundedBatches()
    {
        await Store.InsertImpressionsAsync([.. Enumerable.Range(0, 5).Select(i => Shown($"r{i}", "u1", i * 10, "exp", "control", "i1"))], Ct);
        await Store.InsertAttributionsAsync([.. Enumerable.Range(0, 5).Select(i =>
            Credit($"r{i}", "u1", "i1", AttributionKind.Click) with { Time = T0.AddSeconds(i * 10 + 1) })], Ct);
        var cutoff = T0.AddSeconds(25); // r0..r2 and their clicks (at 1, 11, 21 s) are older

        Assert.Equal(4, await Store.DeleteImpressionsBeforeAsync(cutoff, 2, Ct)); // two of each, the oldest
        Assert.Null(await Store.GetImpressionAsync("r1", Ct));
        Assert.NotNull(await Store.GetImpressionAsync("r2", Ct));
        Assert.Empty(await Store.ListAttributionsAsync("r1", Ct));
        Assert.Single(await Store.ListAttributionsAsync("r2", Ct));
        Assert.Equal(2, await Store.DeleteImpressionsBeforeAsync(cutoff, 2, Ct));
        Assert.Equal(0, await Store.DeleteImpressionsBeforeAsync(cutoff, 2, Ct));
        await ReopenAsync();

        Assert.Equal(["r4", "r3"], (await Store.ListRecentImpressionsAsync(T0, 10, Ct)).Select(i => i.Id));
        Assert.Single(await Store.ListAttributionsAsync("r3", Ct));
        Assert.Equal([new ExperimentUserOutcome("u1", "control", 2, 2, 0, 0, 0)], await Store.GetExperimentOutcomesAsync("exp", Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteImpressionsBeforeAsync(cutoff, 0, Ct));
    }

    [Fact]
    public async Task BadImpressionsAndAttributionsAreRefused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.InsertImpressionsAsync([Shown("", "u1", 1)], Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.InsertAttributionsAsync([Credit("r1", "u1", "i1", AttributionKind.Purchase, double.NaN)], Ct));
        Assert.Null(await Store.GetImpressionAsync("r9", Ct));
    }
}
