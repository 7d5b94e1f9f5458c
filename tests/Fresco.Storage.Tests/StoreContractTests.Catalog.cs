using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>Contract tests of <see cref="ICatalogStore"/>.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task UsersRoundTripAndUpsertReplaces()
    {
        Assert.Null(await Store.TryGetUserAsync("u1", Ct));
        Assert.Equal(2, await Store.InsertUsersAsync([new User("u1", ["a", "b"], "one"), new User("u2", [], "")], Ct));
        AssertUser(new User("u1", ["a", "b"], "one"), await Store.TryGetUserAsync("u1", Ct));
        AssertUser(new User("u2", [], ""), await Store.TryGetUserAsync("u2", Ct));

        Assert.Equal(1, await Store.InsertUsersAsync([new User("u1", ["c"], "replaced")], Ct));
        AssertUser(new User("u1", ["c"], "replaced"), await Store.TryGetUserAsync("u1", Ct));
    }

    [Fact]
    public async Task ItemsRoundTripKeepingTheInstantOfAnyOffset()
    {
        var local = new Item("i1", true, ["x", "y"], ["l"], "c", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)));
        Assert.Equal(2, await Store.InsertItemsAsync([local, MakeItem("i2")], Ct));

        var back = await Store.TryGetItemAsync("i1", Ct);
        AssertItem(local, back);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), back!.Timestamp);
        AssertItem(MakeItem("i2"), await Store.TryGetItemAsync("i2", Ct));
        Assert.Null(await Store.TryGetItemAsync("i3", Ct));
    }

    [Fact]
    public async Task PatchChangesOnlyTheGivenFields()
    {
        await Store.InsertItemsAsync([MakeItem("i1")], Ct);
        await Store.InsertUsersAsync([new User("u1", ["a"], "old")], Ct);

        Assert.True(await Store.PatchItemAsync("i1", new ItemPatch(IsHidden: true, Comment: "new"), Ct));
        AssertItem(MakeItem("i1", hidden: true) with { Comment = "new" }, await Store.TryGetItemAsync("i1", Ct));
        Assert.True(await Store.PatchItemAsync("i1", new ItemPatch(Categories: ["z"], Labels: [], Timestamp: T0.AddDays(1)), Ct));
        AssertItem(new Item("i1", true, ["z"], [], "new", T0.AddDays(1)), await Store.TryGetItemAsync("i1", Ct));

        Assert.True(await Store.PatchUserAsync("u1", new UserPatch(Comment: "new"), Ct));
        AssertUser(new User("u1", ["a"], "new"), await Store.TryGetUserAsync("u1", Ct));
        Assert.True(await Store.PatchUserAsync("u1", new UserPatch(Labels: ["b", "c"]), Ct));
        AssertUser(new User("u1", ["b", "c"], "new"), await Store.TryGetUserAsync("u1", Ct));

        Assert.False(await Store.PatchItemAsync("absent", new ItemPatch(IsHidden: true), Ct));
        Assert.False(await Store.PatchUserAsync("absent", new UserPatch(Comment: "x"), Ct));
        Assert.Null(await Store.TryGetItemAsync("absent", Ct));
    }

    [Fact]
    public async Task CategoriesAreAddedOnceAndRemoved()
    {
        await Store.InsertItemsAsync([MakeItem("i1", categories: ["a"])], Ct);
        Assert.True(await Store.AddItemCategoryAsync("i1", "b", Ct));
        Assert.True(await Store.AddItemCategoryAsync("i1", "b", Ct));
        Assert.Equal(["a", "b"], (await Store.TryGetItemAsync("i1", Ct))!.Categories);
        Assert.True(await Store.RemoveItemCategoryAsync("i1", "a", Ct));
        Assert.True(await Store.RemoveItemCategoryAsync("i1", "never", Ct));
        Assert.Equal(["b"], (await Store.TryGetItemAsync("i1", Ct))!.Categories);
        Assert.False(await Store.AddItemCategoryAsync("absent", "b", Ct));
        Assert.False(await Store.RemoveItemCategoryAsync("absent", "b", Ct));
    }

    [Fact]
    public async Task DeletingAUserOrItemRemovesItsFeedback()
    {
        await Store.InsertFeedbackAsync(
            [Fb("like", "u1", "i1"), Fb("like", "u1", "i2"), Fb("like", "u2", "i1"), Fb("read", "u2", "i2")],
            overwrite: false, cancellationToken: Ct);

        Assert.True(await Store.DeleteUserAsync("u1", Ct));
        Assert.Null(await Store.TryGetUserAsync("u1", Ct));
        Assert.Empty(await Store.GetUserFeedbackAsync("u1", cancellationToken: Ct));
        Assert.Equal(["like/u2/i1=1@0", "read/u2/i2=1@0"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));

        Assert.True(await Store.DeleteItemAsync("i2", Ct));
        Assert.Null(await Store.TryGetItemAsync("i2", Ct));
        Assert.Equal(["like/u2/i1=1@0"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));
        Assert.Equal(1, await Store.CountFeedbackAsync(Ct));

        Assert.False(await Store.DeleteUserAsync("u1", Ct));
        Assert.False(await Store.DeleteItemAsync("i2", Ct));
    }

    [Fact]
    public async Task FeedbackAfterADeleteCreatesTheUserAndItemAgain()
    {
        await Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], overwrite: false, cancellationToken: Ct);
        Assert.True(await Store.DeleteUserAsync("u1", Ct));
        Assert.True(await Store.DeleteItemAsync("i1", Ct));

        Assert.Equal(1, await Store.InsertFeedbackAsync([Fb("read", "u1", "i1")], overwrite: false, cancellationToken: Ct));
        AssertUser(new User("u1", [], ""), await Store.TryGetUserAsync("u1", Ct));
        AssertItem(new Item("i1", false, [], [], "", DateTimeOffset.MinValue), await Store.TryGetItemAsync("i1", Ct));
        await ReopenAsync();
        Assert.NotNull(await Store.TryGetUserAsync("u1", Ct));
        Assert.NotNull(await Store.TryGetItemAsync("i1", Ct));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(25)]
    [InlineData(100)]
    public async Task ListingWithACursorVisitsEveryRowOnce(int pageSize)
    {
        var ids = Enumerable.Range(0, 25).Select(i => $"id{i * 7 % 25:D2}").ToList();
        await Store.InsertUsersAsync([.. ids.Select(id => new User(id, [], ""))], Ct);
        await Store.InsertItemsAsync([.. ids.Select(id => MakeItem(id))], Ct);

        var users = new List<string>();
        var items = new List<string>();
        string userCursor = "", itemCursor = "";
        var pages = 0;
        do
        {
            var userPage = await Store.ListUsersAsync(userCursor, pageSize, Ct);
            var itemPage = await Store.ListItemsAsync(itemCursor, pageSize, Ct);
            Assert.InRange(userPage.Items.Count, 1, pageSize);
            users.AddRange(userPage.Items.Select(u => u.UserId));
            items.AddRange(itemPage.Items.Select(i => i.ItemId));
            (userCursor, itemCursor) = (userPage.Cursor, itemPage.Cursor);
            Assert.Equal(userCursor == "", itemCursor == "");
            pages++;
        }
        while (userCursor != "");

        var expected = ids.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, users);
        Assert.Equal(expected, items);
        Assert.Equal((25 + pageSize - 1) / pageSize, pages);
    }

    [Fact]
    public async Task ListingAnEmptyCatalogAndABadCursor()
    {
        var page = await Store.ListUsersAsync("", 10, Ct);
        Assert.Empty(page.Items);
        Assert.Equal("", page.Cursor);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListItemsAsync("not base64!", 10, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListItemsAsync("", 0, Ct));
    }

    [Fact]
    public async Task ARejectedCatalogBatchWritesNothing()
    {
        var users = new[] { new User("ok", [], ""), new User(new string('x', 257), [], "") };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertUsersAsync(users, Ct));
        Assert.Contains("256", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertItemsAsync([MakeItem("ok"), MakeItem("")], Ct));
        Assert.Null(await Store.TryGetUserAsync("ok", Ct));
        Assert.Null(await Store.TryGetItemAsync("ok", Ct));
        Assert.Equal(1, await Store.InsertUsersAsync([new User(new string('x', 256), [], "")], Ct));
    }
}
