using Fresco.Core.Data.Readers;
using Fresco.Core.Data.Synthetic;
using Xunit;

namespace Fresco.Core.Tests.Data.Synthetic;

public sealed class ShopGeneratorTests
{
    private static readonly ShopOptions s_small = new() { Users = 300, Items = 1000, Categories = 10, ViewsPerUser = 20, Seed = 5 };

    [Fact]
    public void SameSeedGivesTheSameShop()
    {
        var a = ShopGenerator.Generate(s_small);
        var b = ShopGenerator.Generate(s_small);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Events, b.Events);
        Assert.NotEqual(a.Events, ShopGenerator.Generate(s_small with { Seed = 6 }).Events);
    }

    [Fact]
    public void PopularityIsSkewed()
    {
        var views = ShopGenerator.Generate(s_small).Events.Where(e => e.EventType == "view").ToList();
        var counts = views.GroupBy(e => e.ItemId).Select(g => g.Count()).OrderDescending().ToArray();
        var top = counts.Take(s_small.Items / 10).Sum();
        Assert.True(top > 0.4 * views.Count, $"the top 10% of items got {top} of {views.Count} views");
    }

    [Fact]
    public void UsersKeepToTheirTaste()
    {
        var shop = ShopGenerator.Generate(s_small);
        var category = shop.Items.ToDictionary(i => i.ItemId, i => i.Category);
        // With 80% of views in at most 3 favourite categories out of 10, a user's top 3 categories hold most views.
        var shares = shop.Events.Where(e => e.EventType == "view").GroupBy(e => e.UserId)
            .Where(g => g.Count() >= 10)
            .Select(g => g.GroupBy(e => category[e.ItemId]).Select(c => c.Count()).OrderDescending().Take(3).Sum() / (double)g.Count())
            .ToArray();
        Assert.True(shares.Average() > 0.75, $"mean top-3 category share {shares.Average():F2}");
    }

    [Fact]
    public void FunnelAndTimeOrderHold()
    {
        var shop = ShopGenerator.Generate(s_small);
        var views = shop.Events.Count(e => e.EventType == "view");
        var carts = shop.Events.Count(e => e.EventType == "cart");
        var purchases = shop.Events.Count(e => e.EventType == "purchase");
        Assert.InRange(carts / (double)views, 0.07, 0.13);
        Assert.InRange(purchases / (double)carts, 0.2, 0.4);
        foreach (var user in shop.Events.GroupBy(e => e.UserId))
        {
            var times = user.Select(e => e.Timestamp).ToArray();
            Assert.Equal(times.Order(), times);
        }
    }

    [Fact]
    public void AShopOfMinutesSpreadsItsEventsOverTheSpanAndEndsAtTheEnd()
    {
        var end = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var shop = ShopGenerator.Generate(s_small with { Span = TimeSpan.FromMinutes(5), End = end });
        var times = shop.Events.Select(e => e.Timestamp).ToArray();
        Assert.All(times, t => Assert.InRange(t, end.AddMinutes(-5), end));
        // Each minute holds about a fifth of the events (the funnel's delays shrank with the span: none pile up at the end).
        var perMinute = times.GroupBy(t => (int)Math.Min(4, (t - end.AddMinutes(-5)).TotalMinutes)).Select(g => g.Count()).ToArray();
        Assert.Equal(5, perMinute.Length);
        Assert.All(perMinute, n => Assert.InRange(n, times.Length * 0.15, times.Length * 0.25));
        Assert.True(times.Count(t => t == end) < times.Length / 100, $"{times.Count(t => t == end)} events at the end");
    }

    [Fact]
    public void WrittenFilesReadBackAsEvents()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fresco-shop-" + Guid.NewGuid().ToString("N"));
        try
        {
            var shop = ShopGenerator.Generate(s_small);
            ShopWriter.Write(shop, folder);
            var data = DataReader.Read(Path.Combine(folder, ShopWriter.EventsFile));
            Assert.Equal("events", data.Report.Format);
            Assert.Equal(shop.Events.Count, data.Interactions.Count);
            Assert.Equal(3, data.Interactions.EventTypes.Count);
            Assert.NotNull(data.ItemCategories);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ShopGenerator.Generate(s_small with { Categories = 0 }));
        Assert.Throws<ArgumentException>(() => ShopGenerator.Generate(s_small with { Users = 0 }));
    }
}
