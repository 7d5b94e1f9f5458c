using Fresco.Core.Data;
using Fresco.Core.Data.Preprocessing;
using Xunit;

namespace Fresco.Core.Tests.Data.Preprocessing;

public sealed class InteractionFiltersTests
{
    private static string[] Pairs(InteractionTable table) =>
        table.Rows.ToArray().Select(r => $"{table.Users.GetId(r.UserIndex)}{table.Items.GetId(r.ItemIndex)}{r.Value}").ToArray();

    [Fact]
    public void DeduplicateKeepsFirstOrLastOfEachPairInOrder()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "view", 1f);
        table.Add("u", "b", "view", 2f);
        table.Add("u", "a", "buy", 3f);
        table.Add("v", "a", "view", 4f);
        table.Add("u", "b", "view", 5f);
        Assert.Equal(["ua1", "ub2", "va4"], Pairs(InteractionFilters.Deduplicate(table, DuplicateKeep.First)));
        Assert.Equal(["ua3", "va4", "ub5"], Pairs(InteractionFilters.Deduplicate(table, DuplicateKeep.Last)));
        Assert.Same(table.Items, InteractionFilters.Deduplicate(table).Items);
    }

    [Fact]
    public void KCoreIteratesUntilStable()
    {
        // Items: a is seen by u,v,w; b by u,v; c by w only. With 2-core on both sides: c goes (1 user), then
        // w has only a left (1 item) and goes, then a has u,v (2) and stays.
        var table = new InteractionTable();
        foreach (var (user, item) in new[] { ("u", "a"), ("u", "b"), ("v", "a"), ("v", "b"), ("w", "a"), ("w", "c") })
        {
            table.Add(user, item, "x");
        }
        var core = InteractionFilters.KCore(table, 2, 2);
        Assert.Equal(["ua1", "ub1", "va1", "vb1"], Pairs(core));

        // A 3-core on items alone removes everything but a; then u,v,w have one item each and users need 1.
        Assert.Equal(["ua1", "va1", "wa1"], Pairs(InteractionFilters.KCore(table, 1, 3)));
        // Cascade to nothing: 3 items per user is more than anyone has.
        Assert.Equal(0, InteractionFilters.KCore(table, 3, 1).Count);
    }

    [Fact]
    public void MinimumValueFiltersRatingsOnly()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "rating", 3f);
        table.Add("u", "b", "rating", 4f);
        table.Add("u", "c", "view", 1f);
        table.Add("u", "d", "rating", 5f);
        Assert.Equal(["ub4", "uc1", "ud5"], Pairs(InteractionFilters.MinimumValue(table, 4f)));
    }

    [Fact]
    public void TimeFiltersUseUnixSeconds()
    {
        var table = new InteractionTable();
        table.Add("u", "a", "view", 1f, 1_000_000);
        table.Add("u", "b", "view", 2f, 1_000_000 + 86_400);
        table.Add("u", "c", "view", 3f, 1_000_000 + (3 * 86_400));
        table.Add("u", "d", "view", 4f, 1_000_000 + (3 * 86_400) - 1);
        Assert.Equal(["ub2", "ud4"], Pairs(InteractionFilters.TimeRange(table, 1_000_001, 1_000_000 + (3 * 86_400))));
        // Last 2 days before the newest (1,259,200): strictly after 1,086,400.
        Assert.Equal(["uc3", "ud4"], Pairs(InteractionFilters.LastDays(table, 2)));
        Assert.Equal(["ub2", "uc3", "ud4"], Pairs(InteractionFilters.LastDays(table, 2.01)));

        var untimed = new InteractionTable();
        untimed.Add("u", "a", "view");
        Assert.Throws<InvalidOperationException>(() => InteractionFilters.LastDays(untimed, 1));
    }
}
