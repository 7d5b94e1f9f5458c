using Fresco.Engine.Impressions;
using Fresco.Engine.Ingest;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// <c>Store:FeedbackTtl</c>, <c>Store:ItemTtl</c> and <c>Store:ImpressionTtl</c> over SQLite: expired feedback leaves the store, users' histories
/// and item popularity (evicted users included, without coming back into memory); expired items leave recommendations
/// but stay stored. The seed's views are all at T0; items i0..i7 are dated T0 - 10 + i days, i8 has no date.
/// </summary>
public sealed class EngineRetentionTests : EngineTestBase
{
    private const int SeedViews = 14;
    private static readonly TimeSpan s_feedbackTtl = TimeSpan.FromDays(1);
    private static readonly TimeSpan s_itemTtl = TimeSpan.FromDays(5);
    private static readonly TimeSpan s_impressionTtl = TimeSpan.FromDays(2);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-retention-" + Guid.NewGuid().ToString("N"));

    protected override TimeSpan? UserTtl => TimeSpan.FromHours(1);

    // A long interval: the tests sweep by hand (the schedule's first sweep, at start, finds nothing expired).
    protected override RetentionOptions Retention => new()
    {
        FeedbackTtl = s_feedbackTtl,
        ItemTtl = s_itemTtl,
        ImpressionTtl = s_impressionTtl,
        SweepBatch = 4,
        SweepInterval = TimeSpan.FromDays(30),
    };

    public override async ValueTask InitializeAsync()
    {
        Store = await SqliteStore.OpenAsync(_directory, Ct);
        Engine = await StartAsync();
        await SeedAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ExpiredFeedbackLeavesTheStoreHistoriesAndPopularityInBatches()
    {
        Time.Advance(TimeSpan.FromDays(2));
        await Add(View("a", "i8", (int)TimeSpan.FromDays(2).TotalMinutes), View("b", "i9", (int)TimeSpan.FromDays(2).TotalMinutes));
        Assert.Contains("i6", Ids(Engine.NonPersonalized("popular", new RecommendQuery(10))));

        var swept = await Engine.SweepRetentionAsync(Ct);

        Assert.Equal(SeedViews, swept.FeedbackDeleted);
        Assert.Equal(["a/i8", "b/i9"], (await ToListAsync(Store.ReadAllFeedbackAsync(Ct))).Select(f => f.UserId + "/" + f.ItemId).Order().ToArray());
        Assert.Equal(["i8"], Engine.Live.GetSnapshot("a").Items.ToArray().Select(Engine.Live.GetItemId).ToArray());
        Assert.Equal(0, Engine.Live.GetSnapshot("c").Count);
        Assert.True(Engine.Live.TryGetItemIndex("i0", out var i0));
        Assert.Equal(0, Engine.Live.PopularityOf(i0));
        Assert.Equal(2, Engine.GetStatus().Events);
        Assert.Equal(["i8", "i9"], Ids(Engine.NonPersonalized("popular", new RecommendQuery(10))).Order().ToArray());
        Assert.Equal(0, (await Engine.SweepRetentionAsync(Ct)).FeedbackDeleted);
        // The users and items stay; a key that expired can be written again.
        Assert.NotNull(await Engine.GetUserAsync("c", Ct));
        await Add(View("c", "i2", (int)TimeSpan.FromDays(2).TotalMinutes));
        Assert.Equal(["i2"], Engine.Live.GetSnapshot("c").Items.ToArray().Select(Engine.Live.GetItemId).ToArray());
    }

    [Fact]
    public async Task ExpiryLeavesEvictedUsersOutOfMemoryAndUncountsTheirItems()
    {
        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(6, await Engine.EvictInactiveUsersAsync(Ct));
        Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(SeedViews, (await Engine.SweepRetentionAsync(Ct)).FeedbackDeleted);

        var before = Engine.Live.GetSnapshot("b");
        Assert.True(before.Evicted);
        Assert.True(Engine.Live.TryGetItemIndex("i2", out var i2));
        Assert.Equal(0, Engine.Live.PopularityOf(i2));
        Assert.Empty(Ids(Engine.NonPersonalized("popular", new RecommendQuery(10))));
        // Their next request loads what is left (nothing), as a user who never had a history.
        Assert.NotNull(Engine.Recommend("b", new RecommendQuery(5)));
        Assert.Equal(0, Engine.Live.GetSnapshot("b").Count);
    }

    [Fact]
    public async Task ExpiredItemsAreNotRecommendedUntilRedatedAndStayStored()
    {
        // At start, items dated before T0 - 5 days (i0..i4) were hidden; i8 has no date and never expires.
        var latest = Ids(Engine.NonPersonalized("latest", new RecommendQuery(20)));
        Assert.DoesNotContain("i0", latest);
        Assert.DoesNotContain("i4", latest);
        Assert.Contains("i5", latest);
        Assert.DoesNotContain("i1", Ids(Recommend("a", 10)));

        Assert.Equal(["i5", "i6", "i7"], Ids(Engine.NonPersonalized("popular", new RecommendQuery(20))));

        Time.Advance(TimeSpan.FromHours(23)); // the item cutoff (T0 - 4 days 1 hour) passes i5, not i6; no feedback expires yet
        Assert.Equal(new RetentionResult(0, 1), await Engine.SweepRetentionAsync(Ct));
        Assert.Equal(["i6", "i7"], Ids(Engine.NonPersonalized("popular", new RecommendQuery(20))));
        Assert.NotNull(await Engine.GetItemAsync("i0", Ct));
        Assert.Equal(2, (await Store.GetItemFeedbackAsync("i0", null, Ct)).Count);

        await Engine.InsertItemsAsync([new Item("i0", false, ["even"], [], "", Time.GetUtcNow())], Ct);
        Assert.Contains("i0", Ids(Engine.NonPersonalized("popular", new RecommendQuery(20))));
    }

    [Fact]
    public async Task ExpiredImpressionsAndAttributionsLeaveTheStoreInBatches()
    {
        var old = Enumerable.Range(0, 5).Select(_ => Engine.RecordImpression(new ImpressionRequest("a", null, Recommend("a", 3)!))).ToArray();
        var shown = Recommend("a", 3)!;
        await Add(new Feedback("click", "a", shown[0].Id, 0, Time.GetUtcNow()) { RecommId = old[4] });
        Time.Advance(s_impressionTtl + TimeSpan.FromMinutes(1));
        var fresh = Engine.RecordImpression(new ImpressionRequest("a", null, shown));
        for (var i = 0; i < 500 && await Store.GetImpressionAsync(fresh, Ct) is null; i++) // the writer stores them in order
        {
            await Task.Delay(20, Ct);
        }

        var swept = await Engine.SweepRetentionAsync(Ct);

        Assert.Equal(6, swept.ImpressionsDeleted); // five answers and one click, four of each per batch
        Assert.All(old, id => Assert.Null(Store.GetImpressionAsync(id, Ct).Result));
        Assert.Empty(await Store.ListAttributionsAsync(old[4], Ct));
        Assert.NotNull(await Store.GetImpressionAsync(fresh, Ct));
        Assert.Equal(0, (await Engine.SweepRetentionAsync(Ct)).ImpressionsDeleted);
    }

    [Fact]
    public void RetentionOptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionOptions { FeedbackTtl = TimeSpan.FromSeconds(30) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionOptions { ItemTtl = TimeSpan.FromSeconds(59) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionOptions { SweepBatch = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionOptions { SweepBatch = StoreValidation.MaxDeleteBatch + 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionOptions { SweepInterval = TimeSpan.FromMilliseconds(10) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionOptions { ImpressionTtl = TimeSpan.FromMinutes(30) }.Validate());
        var belowWindow = new FrescoEngineOptions { Retention = new() { ImpressionTtl = TimeSpan.FromHours(2) } };
        Assert.Contains("Attribution:Window", Assert.Throws<ArgumentOutOfRangeException>(() => belowWindow.Validate()).Message);
        new RetentionOptions { FeedbackTtl = TimeSpan.FromDays(365), ItemTtl = TimeSpan.FromMinutes(1), ImpressionTtl = TimeSpan.FromHours(1) }.Validate();
    }

    private static async Task<List<Feedback>> ToListAsync(IAsyncEnumerable<Feedback> rows)
    {
        var list = new List<Feedback>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }
        return list;
    }
}
