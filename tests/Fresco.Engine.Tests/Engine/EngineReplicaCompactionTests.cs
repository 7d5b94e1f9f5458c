using System.Reflection;
using Fresco.Engine.Ingest;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.TestKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// Id compaction on a cluster node that never trains (<c>Cluster:Role serve</c>): started on the store another engine
/// seeded and trained, it serves that engine's model and releases dead users' and deleted items' slots from its own
/// eviction sweeps, so its id spaces follow the live users and items as the trainer's do; and a user or item given a
/// released slot there is answered as a fresh one, never with the former owner's model row, column or history.
/// </summary>
public sealed class EngineReplicaCompactionTests : EngineTestBase
{
    private const int UsersPerPeriod = 20;
    private const int ItemsPerPeriod = 10;
    private static readonly TimeSpan s_feedbackTtl = TimeSpan.FromDays(1);

    /// <summary>The replica's trainer: never asked to train (the node never holds the trainer lease).</summary>
    private readonly CatalogTrainer _replicaTrainer = new("als", "factors=4", "iterations=1");

    protected override TimeSpan? UserTtl => TimeSpan.FromHours(1);

    protected override RetentionOptions Retention => new() { FeedbackTtl = s_feedbackTtl, SweepInterval = TimeSpan.FromDays(30) };

    [Fact]
    public async Task TheUserAndItemIdSpacesOfANodeThatNeverTrainsStayFlatOverTtlPeriods()
    {
        var replica = await ReplicaAsync();
        const int Periods = 8;
        for (var period = 0; period < Periods; period++)
        {
            // New items, each viewed by two of the period's new visitors, seen once: their rows expire and they leave
            // memory. The items of the period before are deleted.
            await replica.InsertItemsAsync([.. Enumerable.Range(0, ItemsPerPeriod).Select(i => Item($"p{period}i{i}"))], Ct);
            await replica.InsertFeedbackAsync([.. Enumerable.Range(0, UsersPerPeriod).SelectMany(u => new[]
            {
                Now($"p{period}u{u}", $"p{period}i{u % ItemsPerPeriod}"), Now($"p{period}u{u}", $"p{period}i{(u + 1) % ItemsPerPeriod}"),
            })], overwrite: false, Ct);
            if (period > 0)
            {
                foreach (var i in Enumerable.Range(0, ItemsPerPeriod))
                {
                    Assert.True(await replica.DeleteItemAsync($"p{period - 1}i{i}", Ct));
                }
            }
            Time.Advance(2 * s_feedbackTtl);
            await replica.SweepRetentionAsync(Ct);
            await replica.EvictInactiveUsersAsync(Ct);
        }

        Assert.Equal(0, _replicaTrainer.Runs);
        // Without releases on this node every user and item ever seen keeps a slot: 6 + 8 x 20 users, 10 + 8 x 10 items.
        // With them: the users of one period (and the seed's), and for items the seed, the live batch, the one deleted
        // at the last period and the one waiting for its second sweep.
        Assert.InRange(replica.Live.UserCount, UsersPerPeriod, 6 + UsersPerPeriod);
        Assert.True(replica.Live.UserSlotsReused >= (Periods - 2) * UsersPerPeriod, $"{replica.Live.UserSlotsReused} user slots reused");
        Assert.InRange(replica.Live.ItemCount, 10 + ItemsPerPeriod, 10 + (4 * ItemsPerPeriod));
        Assert.True(replica.Live.ItemSlotsReused >= (Periods - 4) * ItemsPerPeriod, $"{replica.Live.ItemSlotsReused} item slots reused");
        // A released user who is still stored answers as before (no history left), and is registered again.
        Assert.False(replica.Live.TryGetUserIndex("p0u3", out _));
        Assert.NotNull(replica.Recommend("p0u3", new RecommendQuery(5)));
        Assert.True(replica.Live.TryGetUserIndex("p0u3", out _));
        Assert.Equal(0, replica.Live.GetSnapshot("p0u3").Count);
    }

    [Fact]
    public async Task ANewUserInASlotReleasedByANodeThatNeverTrainsGetsNeitherTheFormerOwnersRowNorHistory()
    {
        // x: a strong taste for the odd items; the trainer's model has x's row, and the replica serves it.
        Trainer.Kind = "als";
        Trainer.Options = ["factors=4", "iterations=1"];
        await Add(View("x", "i1"), View("x", "i3"), View("x", "i5"), View("x", "i7"), View("x", "i9"));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        var replica = await ReplicaAsync();
        Assert.True(replica.Live.TryGetUserIndex("x", out var slot));
        Assert.Equal(["als", "als", "als"], Sources(Recommend("x", n: 3)));

        // x is deleted on the replica and released by its sweep while the model trained with x's row serves.
        Assert.True(await replica.DeleteUserAsync("x", Ct));
        await replica.EvictInactiveUsersAsync(Ct);
        Assert.False(replica.Live.TryGetUserIndex("x", out _));

        // y takes x's slot; z, with the same (empty) history, a fresh one: answered alike, before and after a write.
        await replica.InsertUsersAsync([new User("y", [], ""), new User("z", [], "")], Ct);
        Assert.True(replica.Live.TryGetUserIndex("y", out var ySlot));
        Assert.Equal(slot, ySlot);
        Assert.Equal(1, replica.Live.UserSlotsReused);
        Assert.Equal(0, replica.Live.GetSnapshot("y").Count);
        Assert.Equal(Scored(Recommend("z")), Scored(Recommend("y")));
        await Add(View("y", "i0", 1), View("z", "i0", 1));
        Assert.Equal(["i0"], replica.Live.GetSnapshot("y").Items.ToArray().Select(replica.Live.GetItemId).ToArray());
        Assert.Equal(Scored(Recommend("z")), Scored(Recommend("y")));
        Assert.Equal(0, _replicaTrainer.Runs);
    }

    [Fact]
    public async Task ANewItemInASlotReleasedByANodeThatNeverTrainsIsScoredAsAFreshItem()
    {
        // d: viewed with i0 and i1 by a and b; the trainer's item-kNN has d's column and neighbours, and the replica serves it.
        await Engine.InsertItemsAsync([Item("d")], Ct);
        await Add(View("a", "d"), View("b", "d"));
        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        var replica = await ReplicaAsync();
        Assert.Contains(("d", "itemknn"), Pairs(replica.ItemNeighbors("i0", new RecommendQuery(10))));
        Assert.True(replica.Live.TryGetItemIndex("d", out var slot));

        // d is deleted on the replica, then released by its second sweep (the first only marks it).
        Assert.True(await replica.DeleteItemAsync("d", Ct));
        await replica.EvictInactiveUsersAsync(Ct);
        Assert.True(replica.Live.TryGetItemIndex("d", out _));
        await replica.EvictInactiveUsersAsync(Ct);
        Assert.False(replica.Live.TryGetItemIndex("d", out _));

        // x takes d's slot; z, inserted alike, a fresh one. x is treated as z: no neighbours from d's column, in no
        // one's neighbour list or recommendations by the model, no popularity.
        await replica.InsertItemsAsync([Item("x"), Item("z")], Ct);
        Assert.True(replica.Live.TryGetItemIndex("x", out var xSlot));
        Assert.Equal(slot, xSlot);
        Assert.Equal(1, replica.Live.ItemSlotsReused);
        Assert.Empty(Pairs(replica.ItemNeighbors("x", new RecommendQuery(10))));
        Assert.Empty(Pairs(replica.ItemNeighbors("z", new RecommendQuery(10))));
        foreach (var item in new[] { "i0", "i1" })
        {
            Assert.DoesNotContain("x", Ids(replica.ItemNeighbors(item, new RecommendQuery(10))));
        }
        foreach (var user in new[] { "a", "b", "c", "d", "e", "f" })
        {
            var list = Recommend(user, n: 12)!;
            Assert.DoesNotContain(list, s => s.Id == "x" && s.Source == "itemknn");
            Assert.Equal(list.Where(s => s.Id == "z").Select(s => s.Source), list.Where(s => s.Id == "x").Select(s => s.Source));
        }
        Assert.Equal(0, replica.Live.PopularityOf(slot));
        Assert.Equal(0, _replicaTrainer.Runs);
    }

    [Fact]
    public async Task ASweepWhoseStoreReadFailsLogsItAndLeavesTheSlotsToTheNextSweep()
    {
        var log = new RecordingLogger();
        var store = FailingReads.Wrap(Store);
        var replica = await ReplicaAsync(store, log);
        Time.Advance(2 * s_feedbackTtl);
        await replica.SweepRetentionAsync(Ct); // the seed's rows expire: users a..f are dead once evicted

        FailingReads.Of(store).Failing = true;
        Assert.Equal(6, await replica.EvictInactiveUsersAsync(Ct)); // eviction goes on
        Assert.True(replica.Live.TryGetUserIndex("a", out _));
        Assert.Contains(log.Entries, e => e is { EventId: 42, Level: LogLevel.Warning });

        FailingReads.Of(store).Failing = false;
        Assert.Equal(0, await replica.EvictInactiveUsersAsync(Ct));
        Assert.False(replica.Live.TryGetUserIndex("a", out _));
        Assert.Equal(6, replica.Live.FreeUserSlots);
    }

    /// <summary>
    /// Stops the engine that seeded and trained (its model and rows are in the store) and starts in its place a cluster
    /// node that serves and never trains, on the same store, with the same options.
    /// </summary>
    private async Task<FrescoEngine> ReplicaAsync(IStore? store = null, ILoggerFactory? loggers = null)
    {
        await Engine.DisposeAsync();
        var options = Options(CacheUsers);
        options.Live = new LiveOptions { UserTtl = UserTtl };
        options.Retention = Retention;
        Engine = await new FrescoEngineBuilder(store ?? Store, options, _replicaTrainer)
        {
            Time = Time,
            Cluster = ServeOnlyCluster.Services("replica"),
            Loggers = loggers ?? NullLoggerFactory.Instance,
        }.StartAsync(Ct);
        return Engine;
    }

    private static Item Item(string id) => new(id, false, ["churn"], [], "", T0);

    private static (string, string)[] Pairs(IReadOnlyList<ScoredId>? list) => [.. list!.Select(s => (s.Id, s.Source))];

    /// <summary>Ids and scores: a list scored from another user's model row differs in its scores even where its order does not.</summary>
    private static (string, float)[] Scored(IReadOnlyList<ScoredId>? list) => [.. list!.Select(s => (s.Id, s.Score))];

    private Feedback Now(string user, string item) => new("view", user, item, 1, Time.GetUtcNow());

    /// <summary>A store whose reads of a user's feedback throw while <see cref="Failing"/> is set (a store outage).</summary>
    public class FailingReads : DispatchProxy
    {
        private IStore _inner = null!;
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public static IStore Wrap(IStore inner)
        {
            var store = Create<IStore, FailingReads>();
            ((FailingReads)(object)store)._inner = inner;
            return store;
        }

        public static FailingReads Of(IStore store) => (FailingReads)(object)store;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            _failing && targetMethod!.Name == nameof(IStore.GetUserFeedbackAsync)
                ? Task.FromException<IReadOnlyList<Feedback>>(new IOException("The store is unreachable."))
                : targetMethod!.Invoke(_inner, args);
    }
}
