using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>Contract tests of <see cref="IEventStore"/>.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertKeepsExistingRowsAndOverwriteReplacesThem()
    {
        Assert.Equal(2, await Store.InsertFeedbackAsync([Fb("like", "u1", "i1", 1, 1), Fb("like", "u1", "i2", 1, 2)], false, cancellationToken: Ct));
        // Same key (like, u1, i1): kept on insert; a different type is a different row.
        Assert.Equal(1, await Store.InsertFeedbackAsync([Fb("like", "u1", "i1", 5, 9), Fb("read", "u1", "i1", 3, 3)], false, cancellationToken: Ct));
        Assert.Equal(["like/u1/i1=1@1", "like/u1/i2=1@2", "read/u1/i1=3@3"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));

        Assert.Equal(2, await Store.InsertFeedbackAsync([Fb("like", "u1", "i1", 5, 9), Fb("like", "u2", "i1", 4, 4)], true, cancellationToken: Ct));
        // Overwrite replaces value and timestamp but keeps the row's place in insertion order.
        Assert.Equal(
            ["like/u1/i1=5@9", "like/u1/i2=1@2", "read/u1/i1=3@3", "like/u2/i1=4@4"],
            Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));
        Assert.Equal(4, await Store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task DeleteFeedbackBeforeTakesTheOldestRowsOneBatchAtATimeAndFreesTheirKeys()
    {
        await Store.InsertFeedbackAsync(
            [Fb("like", "u1", "i1", 1, 30), Fb("like", "u1", "i2", 1, 10), Fb("read", "u2", "i1", 1, 20), Fb("like", "u2", "i3", 1, 50),
             Fb("like", "u3", "i1", 1, 5)], false, cancellationToken: Ct);
        // An overwrite dates the row anew: (like, u3, i1) is no longer old.
        await Store.InsertFeedbackAsync([Fb("like", "u3", "i1", 2, 45)], true, cancellationToken: Ct);
        var cutoff = T0.AddSeconds(40);

        Assert.Equal(["like/u1/i2=1@10", "read/u2/i1=1@20"], Show(await Store.DeleteFeedbackBeforeAsync(cutoff, 2, Ct)));
        Assert.Equal(["like/u1/i1=1@30"], Show(await Store.DeleteFeedbackBeforeAsync(cutoff, 2, Ct)));
        Assert.Empty(await Store.DeleteFeedbackBeforeAsync(cutoff, 2, Ct));

        Assert.Equal(["like/u2/i3=1@50", "like/u3/i1=2@45"], Show((await ToListAsync(Store.ReadAllFeedbackAsync(Ct))).OrderBy(f => f.UserId)));
        Assert.Equal(2, await Store.CountFeedbackAsync(Ct));
        Assert.Empty(await Store.GetUserFeedbackAsync("u1", cancellationToken: Ct));
        // The key is free again (an insert, which keeps existing keys, writes it); users and items stay.
        Assert.Equal(1, await Store.InsertFeedbackAsync([Fb("like", "u1", "i2", 2, 60)], false, cancellationToken: Ct));
        Assert.Equal(["like/u1/i2=2@60"], Show(await Store.GetUserItemFeedbackAsync("u1", "i2", cancellationToken: Ct)));
        Assert.NotNull(await Store.TryGetUserAsync("u2", Ct));
        Assert.NotNull(await Store.TryGetItemAsync("i1", Ct));

        await ReopenAsync();
        Assert.Equal(3, await Store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task DeleteFeedbackBeforeRefusesABatchSizeOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.DeleteFeedbackBeforeAsync(T0, 0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.DeleteFeedbackBeforeAsync(T0, StoreValidation.MaxDeleteBatch + 1, Ct));
    }

    [Fact]
    public async Task WithinOneBatchTheFirstInsertOrTheLastOverwriteWins()
    {
        Assert.Equal(1, await Store.InsertFeedbackAsync([Fb("a", "u", "i", 1), Fb("a", "u", "i", 2)], false, cancellationToken: Ct));
        Assert.Equal(["a/u/i=1@0"], Show(await Store.GetUserItemFeedbackAsync("u", "i", cancellationToken: Ct)));
        await Store.InsertFeedbackAsync([Fb("a", "u", "i", 3), Fb("a", "u", "i", 4)], true, cancellationToken: Ct);
        Assert.Equal(["a/u/i=4@0"], Show(await Store.GetUserItemFeedbackAsync("u", "i", cancellationToken: Ct)));
    }

    [Fact]
    public async Task PendingBatchesCommitInCallOrder()
    {
        var first = new List<Task<int>>();
        var second = new List<Task<int>>();
        for (var i = 0; i < 50; i++)
        {
            // Not awaited in between: the first call of each pair must win the key (insert keeps the first row).
            first.Add(Store.InsertFeedbackAsync([Fb("like", "u" + i, "i", 1)], overwrite: false, cancellationToken: Ct));
            second.Add(Store.InsertFeedbackAsync([Fb("like", "u" + i, "i", 2)], overwrite: false, cancellationToken: Ct));
        }

        Assert.All(await Task.WhenAll(first), n => Assert.Equal(1, n));
        Assert.All(await Task.WhenAll(second), n => Assert.Equal(0, n));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(1, Assert.Single(await Store.GetUserFeedbackAsync("u" + i, cancellationToken: Ct)).Value);
        }
    }

    [Fact]
    public async Task UnknownUsersAndItemsAreCreatedOrTheFeedbackSkipped()
    {
        await Store.InsertUsersAsync([new User("known", ["l"], "kept")], Ct);
        await Store.InsertItemsAsync([MakeItem("known-item")], Ct);

        Assert.Equal(1, await Store.InsertFeedbackAsync(
            [Fb("like", "known", "known-item"), Fb("like", "new-user", "known-item"), Fb("like", "known", "new-item")],
            overwrite: false, autoCreate: false, cancellationToken: Ct));
        Assert.Null(await Store.TryGetUserAsync("new-user", Ct));
        Assert.Null(await Store.TryGetItemAsync("new-item", Ct));

        Assert.Equal(2, await Store.InsertFeedbackAsync(
            [Fb("like", "new-user", "known-item"), Fb("like", "known", "new-item")], overwrite: false, autoCreate: true, cancellationToken: Ct));
        AssertUser(new User("new-user", [], ""), await Store.TryGetUserAsync("new-user", Ct));
        AssertItem(new Item("new-item", false, [], [], "", DateTimeOffset.MinValue), await Store.TryGetItemAsync("new-item", Ct));
        AssertUser(new User("known", ["l"], "kept"), await Store.TryGetUserAsync("known", Ct));
        AssertItem(MakeItem("known-item"), await Store.TryGetItemAsync("known-item", Ct));
    }

    [Fact]
    public async Task FeedbackIsFoundByUserItemAndType()
    {
        await Store.InsertFeedbackAsync(
            [Fb("like", "u1", "i1", 1, 1), Fb("read", "u1", "i1", 2, 2), Fb("like", "u1", "i2", 3, 3), Fb("like", "u2", "i1", 4, 4)],
            overwrite: false, cancellationToken: Ct);

        Assert.Equal(["like/u1/i1=1@1", "read/u1/i1=2@2", "like/u1/i2=3@3"], Show(await Store.GetUserFeedbackAsync("u1", cancellationToken: Ct)));
        Assert.Equal(["like/u1/i1=1@1", "like/u1/i2=3@3"], Show(await Store.GetUserFeedbackAsync("u1", "like", Ct)));
        Assert.Equal(["like/u1/i1=1@1", "read/u1/i1=2@2", "like/u2/i1=4@4"], Show(await Store.GetItemFeedbackAsync("i1", cancellationToken: Ct)));
        Assert.Equal(["read/u1/i1=2@2"], Show(await Store.GetItemFeedbackAsync("i1", "read", Ct)));
        Assert.Equal(["like/u1/i1=1@1", "read/u1/i1=2@2"], Show(await Store.GetUserItemFeedbackAsync("u1", "i1", cancellationToken: Ct)));
        Assert.Equal(["read/u1/i1=2@2"], Show(await Store.GetUserItemFeedbackAsync("u1", "i1", "read", Ct)));
        Assert.Empty(await Store.GetUserItemFeedbackAsync("u2", "i2", cancellationToken: Ct));
        Assert.Empty(await Store.GetUserFeedbackAsync("nobody", cancellationToken: Ct));
    }

    [Fact]
    public async Task DeletingUserItemFeedbackHonoursTheType()
    {
        await Store.InsertFeedbackAsync(
            [Fb("like", "u1", "i1"), Fb("read", "u1", "i1"), Fb("star", "u1", "i1"), Fb("like", "u1", "i2")],
            overwrite: false, cancellationToken: Ct);

        Assert.Equal(1, await Store.DeleteUserItemFeedbackAsync("u1", "i1", "read", Ct));
        Assert.Equal(["like/u1/i1=1@0", "star/u1/i1=1@0"], Show(await Store.GetUserItemFeedbackAsync("u1", "i1", cancellationToken: Ct)));
        Assert.Equal(2, await Store.DeleteUserItemFeedbackAsync("u1", "i1", cancellationToken: Ct));
        Assert.Equal(0, await Store.DeleteUserItemFeedbackAsync("u1", "i1", cancellationToken: Ct));
        Assert.Equal(["like/u1/i2=1@0"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));
        Assert.NotNull(await Store.TryGetUserAsync("u1", Ct));
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(4, null)]
    [InlineData(30, null)]
    [InlineData(3, "b")]
    public async Task ListingFeedbackWithACursorVisitsEveryRowOnceInInsertionOrder(int pageSize, string? type)
    {
        var all = Enumerable.Range(0, 30).Select(i => Fb(i % 3 == 0 ? "b" : "a", $"u{i % 7}", $"i{i}", i, i)).ToList();
        await Store.InsertFeedbackAsync(all.Take(17).ToList(), false, cancellationToken: Ct);
        await Store.InsertFeedbackAsync(all.Skip(17).ToList(), false, cancellationToken: Ct);

        var seen = new List<Feedback>();
        var cursor = "";
        do
        {
            var page = await Store.ListFeedbackAsync(cursor, pageSize, type, Ct);
            Assert.InRange(page.Items.Count, 1, pageSize);
            seen.AddRange(page.Items);
            cursor = page.Cursor;
        }
        while (cursor != "");

        Assert.Equal(Show(all.Where(f => type is null || f.FeedbackType == type)), Show(seen));
    }

    [Theory]
    [InlineData("", "u", "i", 1.0)]
    [InlineData("like", "", "i", 1.0)]
    [InlineData("like", "u", "", 1.0)]
    [InlineData("like", "u", "i", double.NaN)]
    [InlineData("like", "u", "i", double.PositiveInfinity)]
    [InlineData("like", "u", "long", 1.0)]
    public async Task ARejectedFeedbackBatchWritesNothing(string type, string user, string item, double value)
    {
        if (item == "long")
        {
            item = new string('i', 257);
        }

        List<Feedback> batch = [Fb("like", "good", "good"), new Feedback(type, user, item, value, T0)];
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertFeedbackAsync(batch, false, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertFeedbackAsync(batch, true, cancellationToken: Ct));

        Assert.Equal(0, await Store.CountFeedbackAsync(Ct));
        Assert.Null(await Store.TryGetUserAsync("good", Ct));
        Assert.Null(await Store.TryGetItemAsync("good", Ct));
    }
}
