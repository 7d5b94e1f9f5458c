using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// Item id compaction: the slots of deleted items that no history refers to are released at the second training
/// snapshot after their delete and given to new items, so the item id space follows the catalog, not every item ever
/// added; and a model trained before never scores a new item in a released slot as the slot's former item (no factors,
/// neighbours or counters of it). The base's item-kNN (10 neighbours), whose neighbour lists show a leftover at once.
/// </summary>
public sealed class EngineItemCompactionTests : EngineTestBase
{
    private const int ItemsPerPeriod = 10;

    [Fact]
    public async Task TheItemIdSpaceStaysFlatOverPeriodsOfChurningItems()
    {
        const int Periods = 8;
        for (var period = 0; period < Periods; period++)
        {
            // A new batch of items, viewed; the batch before is deleted (with its feedback).
            await Engine.InsertItemsAsync([.. Enumerable.Range(0, ItemsPerPeriod).Select(i => Item($"p{period}i{i}"))], Ct);
            await Add([.. Enumerable.Range(0, ItemsPerPeriod).Select(i => View("abcdef"[i % 6].ToString(), $"p{period}i{i}", period))]);
            if (period > 0)
            {
                foreach (var i in Enumerable.Range(0, ItemsPerPeriod))
                {
                    Assert.True(await Engine.DeleteItemAsync($"p{period - 1}i{i}", Ct));
                }
            }
            await Engine.TrainNowAsync(Ct);
        }

        // Without compaction every item ever added keeps a slot: 10 + 8 x 10. With it: the seed, the live batch, the one
        // deleted at the last period and the one waiting for its second snapshot.
        Assert.InRange(Engine.Live.ItemCount, 10 + ItemsPerPeriod, 10 + (4 * ItemsPerPeriod));
        Assert.True(Engine.Live.ItemSlotsReused >= (Periods - 4) * ItemsPerPeriod, $"{Engine.Live.ItemSlotsReused} slots reused");
        Assert.Contains("", Trainer.Last!.Ids.ItemIds);
        // The live batch is served as usual: viewed items of the batch come back as each other's neighbours.
        Assert.NotEmpty(Ids(Engine.ItemNeighbors($"p{Periods - 1}i0", new RecommendQuery(5))));
    }

    [Fact]
    public async Task ANewItemInAReusedSlotIsScoredAsAFreshItem()
    {
        // d: viewed with i0 and i1 by a and b; the serving model has d's column and neighbours.
        await Engine.InsertItemsAsync([Item("d")], Ct);
        await Add(View("a", "d"), View("b", "d"));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.Contains(("d", "itemknn"), Pairs(Engine.ItemNeighbors("i0", new RecommendQuery(10))));
        Assert.True(Engine.Live.TryGetItemIndex("d", out var slot));

        // d is deleted, then released (as two training snapshots do) while the model trained with d still serves.
        Assert.True(await Engine.DeleteItemAsync("d", Ct));
        var nothingStored = new Dictionary<int, UserSnapshot>();
        Assert.Empty(Engine.Live.ReleaseDeadItems(i => i == slot, nothingStored)); // the first snapshot only marks it
        Assert.Equal([slot], Engine.Live.ReleaseDeadItems(i => i == slot, nothingStored));

        // x takes d's slot; z, inserted alike, a fresh one.
        await Engine.InsertItemsAsync([Item("x"), Item("z")], Ct);
        Assert.True(Engine.Live.TryGetItemIndex("x", out var xSlot));
        Assert.Equal(slot, xSlot);
        Assert.Equal(1, Engine.Live.ItemSlotsReused);

        // x is treated as z: no neighbours from d's column, in no one's neighbour list or recommendations by the model,
        // no popularity.
        Assert.Empty(Pairs(Engine.ItemNeighbors("x", new RecommendQuery(10))));
        Assert.Empty(Pairs(Engine.ItemNeighbors("z", new RecommendQuery(10))));
        foreach (var item in new[] { "i0", "i1" })
        {
            Assert.DoesNotContain("x", Ids(Engine.ItemNeighbors(item, new RecommendQuery(10))));
        }
        foreach (var user in new[] { "a", "b", "c", "d", "e", "f" })
        {
            var list = Recommend(user, n: 12)!;
            Assert.DoesNotContain(list, s => s.Id == "x" && s.Source == "itemknn");
            Assert.Equal(list.Where(s => s.Id == "z").Select(s => s.Source), list.Where(s => s.Id == "x").Select(s => s.Source));
        }
        Assert.Equal(0, Engine.Live.PopularityOf(slot));

        // Viewed with i0 by a, x is folded in from its own history: the next model names the slot x's.
        await Add(View("a", "x", 1));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.Equal("x", Trainer.Last!.Ids.ItemIds[slot]);
    }

    [Fact]
    public async Task AModelThatStillNamesAReleasedItemDoesNotRegisterItAgain()
    {
        // Versions 2 and 3 are trained while d is in the catalog; d is then deleted and released by two sweeps.
        await Engine.InsertItemsAsync([Item("d")], Ct);
        await Add(View("a", "d"), View("b", "d"));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.True(await Engine.DeleteItemAsync("d", Ct));
        await Engine.EvictInactiveUsersAsync(Ct);
        await Engine.EvictInactiveUsersAsync(Ct);
        Assert.False(Engine.Live.TryGetItemIndex("d", out _));
        var free = Engine.Live.FreeItemSlots;

        // Rolled back to version 2, which names d: its view maps d's column to no live item, and d takes no slot again.
        Assert.True((await Engine.RollbackAsync(Ct)).Promoted);
        Assert.Contains("d", Engine.Models.Current!.Ids.ItemIds);
        Assert.False(Engine.Live.TryGetItemIndex("d", out _));
        Assert.Equal(free, Engine.Live.FreeItemSlots);
        Assert.DoesNotContain("d", Ids(Engine.ItemNeighbors("i0", new RecommendQuery(10))));
    }

    private static Item Item(string id) => new(id, false, ["churn"], [], "", T0);

    private static (string, string)[] Pairs(IReadOnlyList<ScoredId>? list) => [.. list!.Select(s => (s.Id, s.Source))];
}
