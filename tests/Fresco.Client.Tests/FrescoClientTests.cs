using System.Net;
using System.Text;

namespace Fresco.Client.Tests;

public sealed class FrescoClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FrescoItem[] s_items =
        [.. Enumerable.Range(0, 6).Select(i => new FrescoItem($"i{i}", Categories: [i < 3 ? "A" : "B"], Timestamp: new DateTimeOffset(2024, 1, 1 + i, 0, 0, 0, TimeSpan.Zero)))];

    private static async Task SeedAsync(FrescoClient client)
    {
        Assert.Equal(6, (await client.InsertItemsAsync(s_items, Ct)).RowAffected);
        Assert.Equal(2, (await client.InsertUsersAsync([new FrescoUser("u0", ["vip"]), new FrescoUser("u1")], Ct)).RowAffected);
        FrescoFeedback[] feedback =
        [
            new("view", "u0", "i0", 1, DateTimeOffset.Parse("2024-02-01T00:00:00Z")), new("view", "u0", "i1"), new("view", "u1", "i0"),
            new("view", "u1", "i1"), new("view", "u1", "i2"), new("view", "u2", "i3"), new("view", "u2", "i4"),
        ];
        Assert.Equal(7, (await client.InsertFeedbackAsync(feedback, cancellationToken: Ct)).RowAffected);
    }

    [Fact]
    public async Task UsersItemsAndFeedbackRoundTrip()
    {
        await using var server = await ClientServer.StartAsync();
        var client = server.Client;
        await SeedAsync(client);

        Assert.Equal(["vip"], (await client.GetUserAsync("u0", Ct))!.Labels);
        Assert.Null(await client.GetUserAsync("nobody", Ct));
        await client.PatchUserAsync("u1", new FrescoUserPatch(Comment: "patched"), Ct);
        Assert.Equal("patched", (await client.GetUserAsync("u1", Ct))!.Comment);
        var users = await client.ListUsersAsync(2, cancellationToken: Ct);
        Assert.Equal(["u0", "u1"], users.Users.Select(u => u.UserId));
        Assert.Equal(["u2"], (await client.ListUsersAsync(2, users.Cursor, Ct)).Users.Select(u => u.UserId));

        var item = (await client.GetItemAsync("i4", Ct))!;
        Assert.Equal(["B"], item.Categories!);
        Assert.Equal(new DateTimeOffset(2024, 1, 5, 0, 0, 0, TimeSpan.Zero), item.Timestamp);
        await client.PatchItemAsync("i4", new FrescoItemPatch(IsHidden: true), Ct);
        Assert.True((await client.GetItemAsync("i4", Ct))!.IsHidden);
        await client.AddItemCategoryAsync("i4", "C", Ct);
        Assert.Equal(["B", "C"], (await client.GetItemAsync("i4", Ct))!.Categories!);
        await client.RemoveItemCategoryAsync("i4", "C", Ct);
        Assert.Equal(6, (await client.ListItemsAsync(cancellationToken: Ct)).Items.Count);

        Assert.Equal(7, (await client.ListFeedbackAsync(cancellationToken: Ct)).Feedback.Count);
        Assert.Equal(["i0", "i1"], (await client.GetUserFeedbackAsync("u0", cancellationToken: Ct))!.Select(f => f.ItemId));
        Assert.Equal(DateTimeOffset.Parse("2024-02-01T00:00:00Z"), (await client.GetUserFeedbackAsync("u0", cancellationToken: Ct))![0].Timestamp);
        Assert.Equal(2, (await client.GetItemFeedbackAsync("i0", "view", Ct))!.Length);
        Assert.Null(await client.GetItemFeedbackAsync("nothing", cancellationToken: Ct));
        Assert.Equal(1, (await client.DeleteFeedbackAsync("u1", "i2", cancellationToken: Ct)).RowAffected);
        Assert.Equal(1, (await client.DeleteItemAsync("i5", Ct)).RowAffected);
        Assert.Equal(1, (await client.DeleteUserAsync("u2", Ct)).RowAffected);
        Assert.Null(await client.GetUserAsync("u2", Ct));
    }

    [Fact]
    public async Task RecommendationsModelsAndTheDashboardAnswerAsTheServerServes()
    {
        await using var server = await ClientServer.StartAsync();
        var client = server.Client;
        await SeedAsync(client);
        Assert.True((await client.ReadyAsync(Ct)).Ready);
        var trained = await client.TrainAsync(Ct);
        Assert.True(trained.Promoted, trained.Reason);
        Assert.Equal("itemknn", trained.Kind);

        var list = (await client.RecommendAsync("u0", new ListOptions(N: 3, Explain: true), Ct))!;
        Assert.Equal(3, list.Length);
        Assert.All(list, x => Assert.False(string.IsNullOrEmpty(x.Source)));
        Assert.DoesNotContain(list, x => x.Id is "i0" or "i1");
        Assert.Equal(["i2"], (await client.RecommendAsync("u0", new ListOptions(N: 1, Category: "A"), Ct))!.Select(x => x.Id));
        Assert.DoesNotContain("i2", (await client.RecommendAsync("u0", new ListOptions(Exclude: ["i2"]), Ct))!.Select(x => x.Id));
        Assert.Null(await client.RecommendAsync("nobody", cancellationToken: Ct));
        Assert.NotEmpty(await client.RecommendSessionAsync([new FrescoFeedback("view", "", "i3")], cancellationToken: Ct));
        Assert.NotNull(await client.ItemNeighborsAsync("i0", cancellationToken: Ct));
        Assert.Null(await client.ItemNeighborsAsync("nothing", cancellationToken: Ct));
        Assert.NotEmpty((await client.UserNeighborsAsync("u0", cancellationToken: Ct))!);
        Assert.Equal("i0", (await client.NonPersonalizedAsync("popular", cancellationToken: Ct))[0].Id);
        Assert.Equal("i5", (await client.NonPersonalizedAsync("latest", cancellationToken: Ct))[0].Id);
        Assert.NotNull(await client.ItemToItemAsync("similar", "i0", cancellationToken: Ct));

        var models = await client.ListModelsAsync(Ct);
        Assert.Equal((trained.Version, "itemknn"), (models.Serving!.Value, models.ServingKind));
        var conflict = await Assert.ThrowsAsync<FrescoApiException>(() => client.RollbackAsync(Ct));
        Assert.Equal((HttpStatusCode.Conflict, "no stored version older than 1 to roll back to"), (conflict.Status, conflict.Detail));

        var overview = await client.OverviewAsync(Ct);
        Assert.Equal((3, 6, 7L), (overview.Users, overview.Items, overview.Feedback));
        Assert.Equal(trained.Version, overview.TrainingRuns[0].Run.Version);
        Assert.True(overview.RecommendLatency.Count >= 3);
    }

    [Fact]
    public async Task ExportAndImportStreamJsonLines()
    {
        await using var source = await ClientServer.StartAsync();
        await SeedAsync(source.Client);
        await using var target = await ClientServer.StartAsync();
        foreach (var kind in new[] { "items", "feedback" })
        {
            using var lines = new MemoryStream();
            await source.Client.ExportAsync(kind, lines, Ct);
            lines.Position = 0;
            Assert.Equal(kind == "items" ? 6 : 7, (await target.Client.ImportAsync(kind, lines, Ct)).RowAffected);
        }
        Assert.Equal((await source.Client.GetItemAsync("i3", Ct))!.Timestamp, (await target.Client.GetItemAsync("i3", Ct))!.Timestamp);
        Assert.Equal(7, (await target.Client.OverviewAsync(Ct)).Feedback);
        var bad = await Assert.ThrowsAsync<FrescoApiException>(() =>
            target.Client.ImportAsync("users", new MemoryStream(Encoding.UTF8.GetBytes("{\"UserId\":\"\"}")), Ct));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task ProblemDetailsBecomeExceptionsCarryingTheirDetail()
    {
        await using var server = await ClientServer.StartAsync();
        var badQuery = await Assert.ThrowsAsync<FrescoApiException>(() => server.Client.NonPersonalizedAsync("popular", new ListOptions(N: 0), Ct));
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.Status);
        Assert.Equal("Bad request", badQuery.Title);
        Assert.StartsWith("n must be within 1..", badQuery.Detail, StringComparison.Ordinal);
        var unknownList = await Assert.ThrowsAsync<FrescoApiException>(() => server.Client.NonPersonalizedAsync("weekly", cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, unknownList.Status);

        await using var wrongKey = await ClientServer.StartAsync(key: "wrong");
        var refused = await Assert.ThrowsAsync<FrescoApiException>(() => wrongKey.Client.ListModelsAsync(Ct));
        Assert.Equal((HttpStatusCode.Unauthorized, "the X-API-Key header does not match."), (refused.Status, refused.Detail));
    }

    [Fact]
    public async Task TransientFailuresOfReadsAreRetriedAndWritesAreNot()
    {
        var flaky = new FailFirst();
        await using var server = await ClientServer.StartAsync(wrap: inner => { flaky.InnerHandler = inner; return flaky; });
        flaky.FailuresLeft = 1;
        Assert.Empty((await server.Client.ListUsersAsync(cancellationToken: Ct)).Users);
        Assert.Equal((2, 0), (flaky.Attempts, flaky.FailuresLeft));

        flaky.Attempts = 0;
        flaky.FailuresLeft = 1;
        var failed = await Assert.ThrowsAsync<FrescoApiException>(() => server.Client.InsertUserAsync(new FrescoUser("once"), Ct));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1), (failed.Status, flaky.Attempts));
        Assert.Null(await server.Client.GetUserAsync("once", Ct));
    }

    [Fact]
    public async Task CancellationStopsACall()
    {
        await using var server = await ClientServer.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Client.ListModelsAsync(cancelled.Token));
    }

    /// <summary>Answers 503 to the next <see cref="FailuresLeft"/> requests, then passes them on; counts attempts.</summary>
    private sealed class FailFirst : DelegatingHandler
    {
        public int FailuresLeft { get; set; }

        public int Attempts { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts++;
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
