using Fresco.Engine.Impressions;
using Fresco.Engine.Ingest;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;
using Fresco.Storage.Sqlite;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// <c>Live:UserTtl</c> over SQLite: inactive users leave memory and come back from the store with the answers of an
/// engine that never evicted them (the reference: the same writes, no TTL, its own store).
/// </summary>
public sealed class EngineEvictionTests : EngineTestBase
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(10);
    private static readonly string[] s_users = ["a", "b", "c", "d", "e", "f", "new"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-evict-" + Guid.NewGuid().ToString("N"));
    private FrescoEngine _reference = null!;
    private IStore _referenceStore = null!;

    protected override TimeSpan? UserTtl => s_ttl;

    public override async ValueTask InitializeAsync()
    {
        Store = await SqliteStore.OpenAsync(_directory, Ct);
        Engine = await StartAsync();
        await SeedAsync();
        _referenceStore = new InMemoryStore();
        var engine = Engine;
        Engine = _reference = await new FrescoEngineBuilder(_referenceStore, Options(0), Trainer) { Time = Time }.StartAsync(Ct);
        await SeedAsync();
        Engine = engine;
        // "new" wrote after the model was trained: folded in, with a purchase (consumed) and a dislike (rejected).
        await Both(View("new", "i0", 1), Event("purchase", "new", "i6", 2), Event("dislike", "new", "i4", 3));
    }

    public override async ValueTask DisposeAsync()
    {
        await _reference.DisposeAsync();
        await _referenceStore.DisposeAsync();
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task EvictedUsersAnswerAsIfTheyHadStayed()
    {
        Assert.Equal(0, await EvictAsync(TimeSpan.FromMinutes(5)));
        Assert.Equal(s_users.Length, await EvictAsync(s_ttl));
        foreach (var user in s_users)
        {
            var snapshot = Engine.Live.GetSnapshot(user);
            Assert.True(snapshot.Evicted);
            Assert.Equal(0, snapshot.Count);
        }

        // Popular counts every user still; each evicted user comes back on their request with the same answer.
        Assert.Equal(Ids(_reference.NonPersonalized("popular", new RecommendQuery(10))), Ids(Engine.NonPersonalized("popular", new RecommendQuery(10))));
        AssertSameAnswers();
        Assert.All(s_users, user => Assert.False(Engine.Live.GetSnapshot(user).Evicted));
        Assert.Equal(_reference.Live.GetSnapshot("new").Consumed.ToArray(), Engine.Live.GetSnapshot("new").Consumed.ToArray());
    }

    [Fact]
    public async Task TrainingReadsEvictedUsersFromTheStore()
    {
        Assert.Equal(s_users.Length, await EvictAsync(2 * s_ttl));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        var trained = Trainer.Last!.UserItems;
        Assert.True((await _reference.TrainNowAsync(Ct)).Outcome.Promoted);
        var expected = Trainer.Last!.UserItems;
        Assert.Equal(expected.Rows, trained.Rows);
        for (var u = 0; u < expected.Rows; u++)
        {
            Assert.Equal(expected.RowIndices(u).ToArray(), trained.RowIndices(u).ToArray());
            Assert.Equal(expected.RowValues(u).ToArray(), trained.RowValues(u).ToArray());
        }
        Assert.True(Engine.Live.GetSnapshot("a").Evicted);
        AssertSameAnswers();
    }

    [Fact]
    public async Task AnEventAfterEvictionIsAppliedOnTopOfTheStoredHistory()
    {
        Assert.Equal(s_users.Length, await EvictAsync(2 * s_ttl));
        await Both(View("a", "i5", 20), Event("purchase", "new", "i3", 21));
        Assert.Equal(["i0", "i1", "i5"], Engine.Live.GetSnapshot("a").Items.ToArray().Select(Engine.Live.GetItemId).ToArray());
        Assert.Equal(_reference.Live.GetSnapshot("new").Consumed.ToArray(), Engine.Live.GetSnapshot("new").Consumed.ToArray());
        Assert.Equal(_reference.GetStatus().Events, Engine.GetStatus().Events);
        AssertSameAnswers();
    }

    [Fact]
    public async Task WhatAnEvictedUserWasShownLeavesMemoryWithThem()
    {
        Engine.RecordImpression(new ImpressionRequest("a", null, Recommend("a")!));
        Engine.RecordImpression(new ImpressionRequest("b", null, Recommend("b")!));
        Assert.Equal(2, Engine.GetStatus().Impressions!.ShownUsers);
        Time.Advance(TimeSpan.FromMinutes(6));
        Engine.RecordImpression(new ImpressionRequest("b", null, Recommend("b")!)); // b stays active
        Assert.Equal(s_users.Length - 1, await EvictAsync(TimeSpan.FromMinutes(5)));
        Assert.Equal(1, Engine.GetStatus().Impressions!.ShownUsers);
    }

    [Fact]
    public async Task DeletingAnEvictedUserUncountsTheirItems()
    {
        Assert.Equal(s_users.Length, await EvictAsync(2 * s_ttl));
        Assert.True(await Engine.DeleteUserAsync("b", Ct));
        Assert.True(await _reference.DeleteUserAsync("b", Ct));
        Assert.True(Engine.Live.TryGetItemIndex("i2", out var i2));
        Assert.Equal(1, Engine.Live.PopularityOf(i2));
        Assert.Null(Recommend("b"));
        Assert.Equal(Ids(_reference.NonPersonalized("popular", new RecommendQuery(10))), Ids(Engine.NonPersonalized("popular", new RecommendQuery(10))));
    }

    [Fact]
    public async Task EvictionRacingWritesAndReadsLosesNothing()
    {
        // Writers add views for 40 users while the clock runs past the TTL and sweeps evict; readers load users back.
        var users = Enumerable.Range(0, 40).Select(u => "r" + u).ToArray();
        using var stop = new CancellationTokenSource();
        var sweeps = Task.Run(async () =>
        {
            var evicted = 0;
            while (!stop.IsCancellationRequested)
            {
                evicted += await EvictAsync(s_ttl);
                await Task.Delay(1, CancellationToken.None);
            }
            return evicted;
        }, Ct);
        var readers = Task.Run(() =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                _ = Engine.Recommend(users[n++ % users.Length], new RecommendQuery(5));
            }
        }, Ct);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                var user = users[(w * 7 + i) % users.Length];
                await Engine.InsertFeedbackAsync([View(user, "i" + ((w + i) % 10), i)], overwrite: false, Ct);
            }
        }, Ct)).ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        Assert.True(await sweeps > 0);
        await readers;

        foreach (var user in users)
        {
            var stored = await Store.GetUserFeedbackAsync(user, null, Ct);
            Assert.True(Engine.Live.TryGetUserIndex(user, out var index));
            var expected = Engine.Live.Replay(index, UserEviction.Events(stored));
            var actual = Engine.Live.GetSnapshot(index);
            if (actual.Evicted)
            {
                Assert.NotNull(Engine.Recommend(user, new RecommendQuery(5)));
                actual = Engine.Live.GetSnapshot(index);
            }
            Assert.Equal(expected.Items.ToArray(), actual.Items.ToArray());
            Assert.Equal(expected.Weights.ToArray(), actual.Weights.ToArray());
        }
        // Popularity counts each user with a positive summed weight once per item, evicted or not.
        var sums = new Dictionary<(string User, string Item), float>();
        await foreach (var f in Store.ReadAllFeedbackAsync(Ct))
        {
            sums[(f.UserId, f.ItemId)] = sums.GetValueOrDefault((f.UserId, f.ItemId)) + Engine.Live.Options.Weights.WeightOf(f.FeedbackType, (float)f.Value);
        }
        for (var i = 0; i < 10; i++)
        {
            Assert.True(Engine.Live.TryGetItemIndex("i" + i, out var item));
            Assert.Equal(sums.Count(p => p.Key.Item == "i" + i && p.Value > 0), Engine.Live.PopularityOf(item));
        }
    }

    /// <summary>Moves the clock by <paramref name="by"/> and sweeps; returns how many users left memory.</summary>
    private Task<int> EvictAsync(TimeSpan by)
    {
        Time.Advance(by);
        return Engine.EvictInactiveUsersAsync(Ct);
    }

    private async Task Both(params Feedback[] feedback)
    {
        await Engine.InsertFeedbackAsync(feedback, overwrite: false, Ct);
        await _reference.InsertFeedbackAsync(feedback, overwrite: false, Ct);
    }

    /// <summary>
    /// Recommendations of every user (which brings each back), then user neighbours (computed over the users in memory:
    /// equal once everyone is back).
    /// </summary>
    private void AssertSameAnswers()
    {
        foreach (var user in s_users)
        {
            Assert.Equal(_reference.Recommend(user, new RecommendQuery(10)), Engine.Recommend(user, new RecommendQuery(10)));
        }
        foreach (var user in s_users)
        {
            Assert.Equal(_reference.UserNeighbors(user, new RecommendQuery(5)), Engine.UserNeighbors(user, new RecommendQuery(5)));
        }
    }
}
