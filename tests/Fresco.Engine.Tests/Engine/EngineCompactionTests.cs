using Fresco.Engine.Ingest;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// Id compaction: the slots of dead users (deleted, or evicted by <c>Live:UserTtl</c> with every row expired by
/// <c>Store:FeedbackTtl</c>) are released by an eviction sweep or a training snapshot and given to new users, so the id space follows the
/// live users, not every user ever seen; and a user given a released slot never gets its former owner's model row or
/// history. ALS (1 iteration, 4 factors), so that users have model rows.
/// </summary>
public sealed class EngineCompactionTests : EngineTestBase
{
    private const int UsersPerPeriod = 20;
    private static readonly TimeSpan s_feedbackTtl = TimeSpan.FromDays(1);

    public EngineCompactionTests() => Trainer = new CatalogTrainer("als", "factors=4", "iterations=1");

    protected override TimeSpan? UserTtl => TimeSpan.FromHours(1);

    protected override RetentionOptions Retention => new() { FeedbackTtl = s_feedbackTtl, SweepInterval = TimeSpan.FromDays(30) };

    [Fact]
    public async Task TheIdSpaceStaysFlatPerLiveUserOverTtlPeriodsAndTrainings()
    {
        var seen = 6;
        for (var period = 0; period < 6; period++)
        {
            // New visitors, each with a few views, seen once: their rows expire and they leave memory.
            var batch = Enumerable.Range(0, UsersPerPeriod)
                .SelectMany(u => new[] { Now("p" + period + "u" + u, "i" + (u % 10)), Now("p" + period + "u" + u, "i" + ((u + 1) % 10)) })
                .ToArray();
            await Engine.InsertFeedbackAsync(batch, overwrite: false, Ct);
            seen += UsersPerPeriod;
            Time.Advance(2 * s_feedbackTtl);
            await Engine.SweepRetentionAsync(Ct);
            await Engine.EvictInactiveUsersAsync(Ct);
            await Engine.TrainNowAsync(Ct);
        }

        // Without compaction every user ever seen keeps a slot (and a model row): 6 + 6 x 20.
        Assert.InRange(Engine.Live.UserCount, UsersPerPeriod, 6 + UsersPerPeriod);
        Assert.True(Engine.Live.UserSlotsReused >= 4 * UsersPerPeriod, $"{Engine.Live.UserSlotsReused} slots reused");
        Assert.InRange(Trainer.Last!.UserItems.Rows, 0, 6 + UsersPerPeriod);
        Assert.True(seen > 2 * Engine.Live.UserCount);
        // A released user who is still stored answers as before (no history left), and is registered again.
        Assert.False(Engine.Live.TryGetUserIndex("p0u3", out _));
        Assert.NotNull(Engine.Recommend("p0u3", new RecommendQuery(5)));
        Assert.True(Engine.Live.TryGetUserIndex("p0u3", out _));
        Assert.Equal(0, Engine.Live.GetSnapshot("p0u3").Count);
        // A deleted user is unknown, released or not.
        Assert.True(await Engine.DeleteUserAsync("p1u3", Ct));
        Assert.Null(Engine.Recommend("p1u3", new RecommendQuery(5)));
    }

    [Fact]
    public async Task ANewUserInAReusedSlotNeverGetsTheFormerOwnersRowOrHistory()
    {
        // x: a strong taste for the odd items; the serving model is trained with x's row.
        await Add(View("x", "i1"), View("x", "i3"), View("x", "i5"), View("x", "i7"), View("x", "i9"));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.True(Engine.Live.TryGetUserIndex("x", out var slot));
        // Served with x's row (this builds the model's view while x holds the slot, so it maps model users to live ones).
        Assert.Equal(["als", "als", "als"], Sources(Recommend("x", n: 3)));

        // x is deleted, then released (as a training snapshot does) while the model trained with x's row still serves.
        Assert.True(await Engine.DeleteUserAsync("x", Ct));
        Assert.Equal(1, Engine.Live.ReleaseDead(new Dictionary<int, UserSnapshot>()));

        // y takes x's slot; z, with the same (empty) history, a fresh one.
        await Engine.InsertUsersAsync([new User("y", [], ""), new User("z", [], "")], Ct);
        Assert.True(Engine.Live.TryGetUserIndex("y", out var ySlot));
        Assert.Equal(slot, ySlot);
        Assert.Equal(1, Engine.Live.UserSlotsReused);
        Assert.Equal(0, Engine.Live.GetSnapshot("y").Count);
        Assert.Equal(Scored(Recommend("z")), Scored(Recommend("y")));

        // After a write, y is folded in from y's own history, as z is with the same one.
        await Add(View("y", "i0", 1), View("z", "i0", 1));
        Assert.Equal(["i0"], Engine.Live.GetSnapshot("y").Items.ToArray().Select(Engine.Live.GetItemId).ToArray());
        Assert.Equal(Scored(Recommend("z")), Scored(Recommend("y")));

        // The next model names the slot y's, trained on y's history only.
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.Equal("y", Trainer.Last!.Ids.UserIds[slot]);
        Assert.True(Engine.Live.TryGetItemIndex("i0", out var i0));
        Assert.Equal([i0], Trainer.Last.UserItems.RowIndices(slot).ToArray());
    }

    [Fact]
    public async Task AUserWrittenWhileReleasedIsRegisteredAgainWithTheirRows()
    {
        Assert.True(await Engine.DeleteUserAsync("a", Ct));
        var release = Engine.Live.ReleaseDead(new Dictionary<int, UserSnapshot>());
        Assert.Equal(1, release);
        await Add(View("a", "i4", 5));
        Assert.Equal(["i4"], Engine.Live.GetSnapshot("a").Items.ToArray().Select(Engine.Live.GetItemId).ToArray());
        Assert.NotNull(Recommend("a"));
        Assert.Equal(1, Engine.Live.UserSlotsReused);
    }

    /// <summary>Ids and scores: a list scored from another user's model row differs in its scores even where its order does not.</summary>
    private static (string, float)[] Scored(IReadOnlyList<ScoredId>? list) => [.. list!.Select(s => (s.Id, s.Score))];

    private Feedback Now(string user, string item) => new("view", user, item, 1, Time.GetUtcNow());
}
