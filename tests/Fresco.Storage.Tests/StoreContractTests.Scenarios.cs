using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>Contract tests of <see cref="IScenarioStore"/>.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ScenariosAreStoredVersionedAndSurviveReopen()
    {
        Assert.Empty(await Store.ListScenariosAsync(Ct));
        Assert.Null(await Store.GetScenarioAsync("home", Ct));
        var home = await Store.PutScenarioAsync("home", """{"Diversity":{"MaxPerCategory":2}}""", T0, Ct);
        var cart = await Store.PutScenarioAsync("cart", "{}", T0.AddMinutes(1), Ct);
        var home2 = await Store.PutScenarioAsync("home", """{"Diversity":{"MaxPerCategory":3}}""", T0.AddMinutes(2), Ct);
        Assert.True(cart.Version > home.Version);
        Assert.True(home2.Version > cart.Version);

        await ReopenAsync();
        var read = await Store.GetScenarioAsync("home", Ct);
        Assert.NotNull(read);
        Assert.Equal(home2.Version, read.Version);
        Assert.Equal("""{"Diversity":{"MaxPerCategory":3}}""", read.Definition);
        Assert.Equal(T0.AddMinutes(2), read.UpdatedAt);
        Assert.Equal(["cart", "home"], (await Store.ListScenariosAsync(Ct)).Select(s => s.Name));
        Assert.Equal([cart.Version, home2.Version], (await Store.ListScenariosAsync(Ct)).Select(s => s.Version));
    }

    [Fact]
    public async Task ADeletedScenarioIsGoneAndItsVersionIsNeverReused()
    {
        var first = await Store.PutScenarioAsync("home", "{}", T0, Ct);
        Assert.True(await Store.DeleteScenarioAsync("home", Ct));
        Assert.False(await Store.DeleteScenarioAsync("home", Ct));
        Assert.Null(await Store.GetScenarioAsync("home", Ct));
        Assert.Empty(await Store.ListScenariosAsync(Ct));

        await ReopenAsync();
        var again = await Store.PutScenarioAsync("home", "{}", T0, Ct);
        Assert.True(again.Version > first.Version);
    }

    [Fact]
    public async Task ConcurrentScenarioPutsGetDistinctVersions()
    {
        var puts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Store.PutScenarioAsync("s" + (i % 4), "{}", T0, Ct)));
        Assert.Equal(20, puts.Select(p => p.Version).Distinct().Count());
        var listed = await Store.ListScenariosAsync(Ct);
        Assert.Equal(4, listed.Count);
        foreach (var scenario in listed)
        {
            Assert.Equal(puts.Where(p => p.Name == scenario.Name).Max(p => p.Version), scenario.Version);
        }
    }

    [Fact]
    public async Task ScenarioNamesAreValidated()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutScenarioAsync("", "{}", T0, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetScenarioAsync(new string('x', 300), Ct));
    }
}
