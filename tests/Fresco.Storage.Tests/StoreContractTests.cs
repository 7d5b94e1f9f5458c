using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IStore"/> must show. Each back-end's test class inherits this and says how to open
/// its store; <see cref="OpenAsync"/> called again after dispose must reopen the same data (durability).
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected IStore Store { get; private set; } = null!;

    /// <summary>Opens the store under test; a second call (after dispose) must see everything acknowledged before.</summary>
    protected abstract Task<IStore> OpenAsync();

    /// <summary>Removes whatever the store left behind (files), after the last dispose.</summary>
    protected virtual void Cleanup()
    {
    }

    public async ValueTask InitializeAsync() => Store = await OpenAsync();

    public async ValueTask DisposeAsync()
    {
        if (Store is not null) // null when the back-end was unavailable and the test skipped itself in InitializeAsync
        {
            await Store.DisposeAsync();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync();
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static Feedback Fb(string type, string user, string item, double value = 1, int seconds = 0) =>
        new(type, user, item, value, T0.AddSeconds(seconds));

    protected static Item MakeItem(string id, bool hidden = false, string[]? categories = null, int seconds = 0) =>
        new(id, hidden, categories ?? ["c1"], ["l1", "l2"], "comment " + id, T0.AddSeconds(seconds));

    protected static void AssertItem(Item expected, Item? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ItemId, actual.ItemId);
        Assert.Equal(expected.IsHidden, actual.IsHidden);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Comment, actual.Comment);
        Assert.Equal(expected.Timestamp.UtcTicks, actual.Timestamp.UtcTicks);
    }

    protected static void AssertUser(User expected, User? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Comment, actual.Comment);
    }

    /// <summary>Feedback as comparable text: type/user/item=value@seconds-after-T0.</summary>
    protected static string[] Show(IEnumerable<Feedback> feedback) =>
        [.. feedback.Select(f => $"{f.FeedbackType}/{f.UserId}/{f.ItemId}={f.Value}@{(f.Timestamp - T0).TotalSeconds}")];

    [Fact]
    public async Task ReopeningTheStoreKeepsEverythingAcknowledged()
    {
        await Store.InsertUsersAsync([new User("u1", ["a"], "hello")], Ct);
        await Store.InsertItemsAsync([MakeItem("i1", hidden: true, seconds: 5)], Ct);
        await Store.InsertFeedbackAsync([Fb("like", "u1", "i1", 2.5, 7), Fb("read", "u2", "i2", 1, 8)], overwrite: false, cancellationToken: Ct);
        await Store.SaveModelAsync(3, "als", T0, new Dictionary<string, double> { ["ndcg"] = 0.25 }, new MemoryStream([1, 2, 3]), Ct);
        await Store.PromoteModelAsync(3, Ct);

        await ReopenAsync();

        AssertUser(new User("u1", ["a"], "hello"), await Store.TryGetUserAsync("u1", Ct));
        AssertItem(MakeItem("i1", hidden: true, seconds: 5), await Store.TryGetItemAsync("i1", Ct));
        Assert.NotNull(await Store.TryGetUserAsync("u2", Ct));
        Assert.Equal(["like/u1/i1=2.5@7", "read/u2/i2=1@8"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));
        var serving = await Store.GetServingModelAsync(Ct);
        Assert.NotNull(serving);
        Assert.Equal(3, serving.Version);
        Assert.Equal(0.25, serving.Metrics["ndcg"]);
        await using var stream = await Store.OpenModelAsync(3, Ct);
        Assert.NotNull(stream);
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, Ct);
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes.ToArray());
    }

    [Fact]
    public async Task ConcurrentBatchesAllLand()
    {
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var b = 0; b < 10; b++)
            {
                var batch = Enumerable.Range(0, 10).Select(i => Fb("click", $"u{t}", $"i{b * 10 + i}")).ToList();
                Assert.Equal(10, await Store.InsertFeedbackAsync(batch, overwrite: false, cancellationToken: Ct));
            }
        }, Ct));
        await Task.WhenAll(tasks);

        Assert.Equal(800, await Store.CountFeedbackAsync(Ct));
        Assert.Equal(100, (await Store.GetUserFeedbackAsync("u3", cancellationToken: Ct)).Count);
        Assert.Equal(8, (await Store.GetItemFeedbackAsync("i42", cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task AFailingWriteAmongConcurrentWritesFailsAlone()
    {
        await Store.SaveModelAsync(1, "pop", T0, new Dictionary<string, double>(), new MemoryStream([1]), Ct);
        var writes = new List<Task>();
        for (var i = 0; i < 40; i++)
        {
            var n = i;
            writes.Add(Task.Run(() => Store.InsertFeedbackAsync([Fb("like", $"u{n}", "i"), Fb("like", $"u{n}", "j")], false, cancellationToken: Ct), Ct));
            if (n % 10 == 0)
            {
                // Fails inside the write (duplicate version), possibly in the same transaction as feedback batches.
                writes.Add(Task.Run(() => Store.SaveModelAsync(1, "dup", T0, new Dictionary<string, double>(), new MemoryStream([2]), Ct), Ct));
            }
        }

        var failed = 0;
        foreach (var write in writes)
        {
            try
            {
                await write;
            }
            catch (InvalidOperationException)
            {
                failed++;
            }
        }

        Assert.Equal(4, failed);
        Assert.Equal(80, await Store.CountFeedbackAsync(Ct));
        Assert.Equal(40, (await Store.GetItemFeedbackAsync("j", cancellationToken: Ct)).Count);
        Assert.Equal("pop", Assert.Single(await Store.ListModelsAsync(Ct)).Kind);
    }

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var x in source)
        {
            list.Add(x);
        }

        return list;
    }
}
