using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>Contract tests of <see cref="IExperimentStore"/>.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ExperimentsAreStoredReplacedAndSurviveReopen()
    {
        Assert.Empty(await Store.ListExperimentsAsync(Ct));
        Assert.Null(await Store.GetExperimentAsync("boost", Ct));
        await Store.PutExperimentAsync("boost", """{"Scenario":"home"}""", T0, Ct);
        await Store.PutExperimentAsync("rank", """{"Scenario":"cart"}""", T0.AddMinutes(1), Ct);
        var replaced = await Store.PutExperimentAsync("boost", """{"Scenario":"product"}""", T0.AddMinutes(2), Ct);
        Assert.Equal(T0.AddMinutes(2), replaced.UpdatedAt);

        await ReopenAsync();
        var read = await Store.GetExperimentAsync("boost", Ct);
        Assert.NotNull(read);
        Assert.Equal("""{"Scenario":"product"}""", read.Definition);
        Assert.Equal(T0.AddMinutes(2), read.UpdatedAt);
        Assert.Equal(["boost", "rank"], (await Store.ListExperimentsAsync(Ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task ADeletedExperimentIsGone()
    {
        await Store.PutExperimentAsync("boost", "{}", T0, Ct);
        Assert.True(await Store.DeleteExperimentAsync("boost", Ct));
        Assert.False(await Store.DeleteExperimentAsync("boost", Ct));
        Assert.Null(await Store.GetExperimentAsync("boost", Ct));

        await ReopenAsync();
        Assert.Empty(await Store.ListExperimentsAsync(Ct));
    }

    [Fact]
    public async Task ExperimentNamesAreValidated()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutExperimentAsync("", "{}", T0, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetExperimentAsync(new string('x', 300), Ct));
    }
}
