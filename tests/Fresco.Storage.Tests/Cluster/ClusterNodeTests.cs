using System.Diagnostics;
using Fresco.Cluster.Redis;
using Fresco.Engine;
using Fresco.Engine.Cluster;
using Fresco.Engine.Experiments;
using Fresco.Engine.Impressions;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Engine;
using Fresco.Engine.Training;
using Fresco.Storage.Postgres;
using Fresco.TestKit;
using Fresco.TestKit.Postgres;
using Fresco.TestKit.Redis;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Fresco.Storage.Tests.Cluster;

/// <summary>
/// Engines as cluster nodes on one PostgreSQL database (each with its own store, lease and, where a test says so, the
/// Redis bus): what one node commits reaches the others' live state, catalog and served model, through the change log
/// alone and through the bus alone.
/// </summary>
public sealed class ClusterNodeTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan s_never = TimeSpan.FromMinutes(10);
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly RecordingLogger _log = new();
    private string _database = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        await server.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task FeedbackUsersAndItemsWrittenOnOneNodeReachTheOtherThroughTheChangeLog()
    {
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50));
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50));

        await a.InsertFeedbackAsync([View("u1", "i1"), View("u1", "i2"), View("u2", "i3")], overwrite: false, Ct);
        await EventuallyAsync(() => b.Live.GetSnapshot("u1").Count == 2 && b.Recommend("u2", new RecommendQuery()) is not null);
        Assert.Contains(b.Recommend("u2", new RecommendQuery())!, s => s.Id == "i1");

        await a.PatchItemAsync("i1", new ItemPatch(IsHidden: true), Ct);
        await EventuallyAsync(() => b.Recommend("u2", new RecommendQuery())!.All(s => s.Id != "i1"));

        await a.DeleteFeedbackAsync("u1", "i2", null, Ct); // the history reload, not an insert, carries a delete
        await EventuallyAsync(() => b.Live.GetSnapshot("u1").Count == 1);

        await a.DeleteUserAsync("u2", Ct);
        await EventuallyAsync(() => b.Recommend("u2", new RecommendQuery()) is null);
        Assert.Equal(1, b.Live.GetSnapshot("u1").Count); // and nothing else moved
    }

    [Fact]
    public async Task AModelPromotedOrRolledBackOnOneNodeIsServedByEveryNode()
    {
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50));
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50));
        await a.InsertFeedbackAsync([View("u1", "i1"), View("u1", "i2"), View("u2", "i2"), View("u2", "i3")], overwrite: false, Ct);

        var first = await a.TrainNowAsync(Ct);
        var second = await a.TrainNowAsync(Ct);
        Assert.True(second.Outcome.Promoted);
        await EventuallyAsync(() => b.GetStatus().ServingVersion == second.Outcome.Version);

        var rollback = await b.RollbackAsync(Ct); // on the other node: cluster-wide
        Assert.Equal(first.Outcome.Version, rollback.Version);
        await EventuallyAsync(() => a.GetStatus().ServingVersion == first.Outcome.Version);

        var third = await b.TrainNowAsync(Ct); // versions never collide: runs take the cluster-wide run lock
        Assert.True(third.Outcome.Version > second.Outcome.Version);
        await EventuallyAsync(() => a.GetStatus().ServingVersion == third.Outcome.Version);
    }

    [Fact]
    public async Task AnExperimentPutOnOneNodeAssignsOnEveryNodeThroughTheChangeLog()
    {
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50));
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50));
        await a.PutScenarioAsync("home", new Scenario(), Ct);
        var now = DateTimeOffset.UtcNow;
        await a.PutExperimentAsync("split", new Experiment
        {
            Scenario = "home",
            Variants = [new() { Name = "control", Weight = 1 }, new() { Name = "b", Weight = 1 }],
            Start = now.AddHours(-1),
            End = now.AddHours(1),
        }, Ct);
        await EventuallyAsync(() => b.AssignExperiment("home", "u1") is not null);
        Assert.All(Enumerable.Range(0, 100), u => Assert.Equal(a.AssignExperiment("home", $"u{u}"), b.AssignExperiment("home", $"u{u}")));

        Assert.True(await b.DeleteExperimentAsync("split", Ct));
        await EventuallyAsync(() => a.AssignExperiment("home", "u1") is null);
    }

    [Fact]
    public async Task AnExperimentsResultsCountWhatEveryNodeRecordedInPostgres()
    {
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50));
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50));
        await a.InsertFeedbackAsync([View("u0", "i1"), View("u1", "i2"), View("u2", "i3"), View("u3", "i1")], overwrite: false, Ct);
        await a.PutScenarioAsync("home", new Scenario(), Ct);
        var now = DateTimeOffset.UtcNow;
        await a.PutExperimentAsync("split", new Experiment
        {
            Scenario = "home",
            Variants = [new() { Name = "control", Weight = 1 }, new() { Name = "b", Weight = 1 }],
            Start = now.AddHours(-1),
            End = now.AddHours(1),
        }, Ct);
        await EventuallyAsync(() => b.AssignExperiment("home", "u3") is not null && b.Recommend("u3", new RecommendQuery()) is not null);

        // Each user is shown one answer on node a (with the variant it assigns) and clicks its first item on node b, naming
        // the answer (without it, see FeedbackWithoutARecommIdOnAnotherNodeIsCreditedByLastTouchToTheVariantThatAnswered);
        // u0 also buys it.
        var variants = new Dictionary<string, int>();
        for (var u = 0; u < 4; u++)
        {
            var user = $"u{u}";
            var assignment = a.AssignExperiment("home", user)!;
            var list = a.Recommend(user, new RecommendQuery(2, Scenario: assignment.Scenario))!;
            var id = a.RecordImpression(new ImpressionRequest(user, assignment.Scenario, list)
            {
                Experiment = assignment.Experiment,
                Variant = assignment.Variant,
            });
            variants[assignment.Variant] = variants.GetValueOrDefault(assignment.Variant) + 1;
            var click = new Feedback("click", user, list[0].Id, 0, DateTimeOffset.UtcNow) { RecommId = id };
            await b.InsertFeedbackAsync(u == 0 ? [click, click with { FeedbackType = "purchase", Value = 5 }] : [click], overwrite: false, Ct);
        }

        ExperimentResults? results = null;
        await EventuallyAsync(async () =>
        {
            results = await b.GetExperimentResultsAsync("split", Ct);
            return results!.Variants.Sum(v => v.Impressions) == 4;
        });
        Assert.Equal(variants, results!.Variants.Where(v => v.Users > 0).ToDictionary(v => v.Name, v => (int)v.Users));
        Assert.All(results.Variants, v => Assert.Equal((v.Users, v.Users), (v.Impressions, v.Clicks)));
        Assert.Equal(1, results.Variants.Sum(v => v.Purchases));
        Assert.Equal(5.0, results.Variants.Sum(v => v.RevenuePerUser * v.Users ?? 0), 9);
    }

    [Fact]
    public async Task FeedbackWithoutARecommIdOnAnotherNodeIsCreditedByLastTouchToTheVariantThatAnswered()
    {
        var attribution = new AttributionOptions { Recheck = TimeSpan.FromSeconds(2) };
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50), attribution: attribution);
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50), attribution: attribution);
        await a.InsertFeedbackAsync([View("u0", "i1"), View("u1", "i2"), View("u2", "i3"), View("u3", "i1")], overwrite: false, Ct);
        await a.PutScenarioAsync("home", new Scenario(), Ct);
        var now = DateTimeOffset.UtcNow;
        await a.PutExperimentAsync("split", new Experiment
        {
            Scenario = "home",
            Variants = [new() { Name = "control", Weight = 1 }, new() { Name = "b", Weight = 1 }],
            Start = now.AddHours(-1),
            End = now.AddHours(1),
        }, Ct);
        await EventuallyAsync(() => b.AssignExperiment("home", "u3") is not null && b.Recommend("u3", new RecommendQuery()) is not null);

        // Each user is answered on node a and clicks the first item on node b without naming the answer: b never showed
        // it, so only the stored impressions can credit it. u0 and u1 click once a's impression is committed: credited
        // before the write returns. u2 and u3 click while a's impression batch cannot commit (the table is locked, as a
        // batch still queued or in flight would be): not credited at once, then by b's second look after the lock goes.
        var variants = new Dictionary<string, int>();
        var answers = new Dictionary<string, string>();
        var record = Own(await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { Node = "reader" }, Ct));
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        for (var u = 0; u < 4; u++)
        {
            var user = $"u{u}";
            var late = u >= 2;
            await using var lockTx = late ? await connection.BeginTransactionAsync(Ct) : null;
            if (lockTx is not null)
            {
                await using var lockTable = new NpgsqlCommand("LOCK TABLE impressions IN EXCLUSIVE MODE", connection, lockTx); // reads go on
                await lockTable.ExecuteNonQueryAsync(Ct);
            }
            var assignment = a.AssignExperiment("home", user)!;
            var list = a.Recommend(user, new RecommendQuery(2, Scenario: assignment.Scenario))!;
            var id = a.RecordImpression(new ImpressionRequest(user, assignment.Scenario, list)
            {
                Experiment = assignment.Experiment,
                Variant = assignment.Variant,
            });
            variants[assignment.Variant] = variants.GetValueOrDefault(assignment.Variant) + 1;
            answers[user] = id;
            if (!late)
            {
                await EventuallyAsync(async () => await b.GetImpressionAsync(id, Ct) is not null);
            }
            await b.InsertFeedbackAsync([new Feedback("click", user, list[0].Id, 0, DateTimeOffset.UtcNow)], overwrite: false, Ct);

            var credited = await record.ListAttributionsAsync(id, Ct);
            Assert.Equal(late ? 0 : 1, credited.Count);
            if (lockTx is not null)
            {
                await lockTx.CommitAsync(Ct);
            }
        }
        await EventuallyAsync(async () => (await record.ListAttributionsAsync(answers["u3"], Ct)).Count == 1);
        Assert.Single(await record.ListAttributionsAsync(answers["u2"], Ct));

        var results = (await b.GetExperimentResultsAsync("split", Ct))!;
        Assert.Equal(variants, results.Variants.Where(v => v.Users > 0).ToDictionary(v => v.Name, v => (int)v.Users));
        Assert.All(results.Variants, v => Assert.Equal((v.Users, v.Users), (v.Impressions, v.Clicks)));
    }

    [Fact]
    public async Task AScenarioModelKindIsFollowedByEveryNodeAsNewVersionsOfItArrive()
    {
        var trainer = new CatalogTrainer("popularity");
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50), trainer: trainer);
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50), role: ClusterRole.Serve);
        await a.InsertFeedbackAsync([View("u1", "i1"), View("u2", "i1"), View("u3", "i1"), View("u1", "i2"), View("u2", "i3"), View("u4", "i4")],
            overwrite: false, Ct);
        await TrainAsync(a, trainer, "popularity"); // version 1: i1 is the most popular
        await TrainAsync(a, trainer, "itemknn");
        await a.PutScenarioAsync("trend", new Fresco.Engine.Scenarios.Scenario { Model = "popularity" }, Ct);

        var query = new RecommendQuery(1, Scenario: "trend");
        Assert.Equal(new ScoredId("i1", 3, "popularity"), a.Recommend("u4", query)![0]);
        await EventuallyAsync(() => Answer(b, "u4", query) is { Source: "popularity", Id: "i1" });

        await a.InsertFeedbackAsync([.. Enumerable.Range(5, 4).Select(u => View("u" + u, "i3"))], overwrite: false, Ct);
        await EventuallyAsync(() => b.Live.GetSnapshot("u8").Count == 1);
        await TrainAsync(a, trainer, "popularity"); // version 3: i3 is
        await TrainAsync(a, trainer, "itemknn");
        Assert.Equal("i3", Answer(a, "u4", query)?.Id);
        await EventuallyAsync(() => Answer(b, "u4", query) is { Source: "popularity", Id: "i3" });
    }

    private static async Task TrainAsync(FrescoEngine engine, CatalogTrainer trainer, string kind)
    {
        trainer.Kind = kind;
        Assert.True((await engine.TrainNowAsync(Ct)).Outcome.Promoted);
    }

    /// <summary>The first item of the answer, or null while the node does not serve it yet (an unknown scenario, say).</summary>
    private static ScoredId? Answer(FrescoEngine engine, string user, RecommendQuery query)
    {
        try
        {
            return engine.Recommend(user, query) is [var first, ..] ? first : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [Fact]
    public async Task TheBusAloneCarriesAWriteToTheOtherNodeInMilliseconds()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var a = await NodeAsync("a", await BusAsync(redis), poll: s_never, fallback: TimeSpan.FromSeconds(1));
        var b = await NodeAsync("b", await BusAsync(redis), poll: s_never, fallback: TimeSpan.FromSeconds(1));

        var delays = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var user = $"u{i}";
            await a.InsertFeedbackAsync([View(user, "i1")], overwrite: false, Ct);
            var written = Stopwatch.GetTimestamp();
            await EventuallyAsync(() => b.Live.GetSnapshot(user).Count == 1);
            delays.Add(Stopwatch.GetElapsedTime(written).TotalMilliseconds);
        }
        Assert.Equal(20, b.Live.UserCount); // with no polling while the bus is up, only the bus could have carried them
        Assert.Null(b.GetStatus().Cluster!.LastFeedRead); // and the log was never read
        TestContext.Current.SendDiagnosticMessage($"bus delay ms: median {delays.Order().ElementAt(10):F1}, max {delays.Max():F1}");
    }

    [Fact]
    public async Task WithRedisDownNodesFollowByPollingAndTheBusResumesWhenItReturns()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var a = await NodeAsync("a", await BusAsync(redis), poll: s_never, fallback: TimeSpan.FromMilliseconds(100));
        var b = await NodeAsync("b", await BusAsync(redis), poll: s_never, fallback: TimeSpan.FromMilliseconds(100));

        await redis.StopAsync();
        await EventuallyAsync(() => b.GetStatus().Cluster!.BusConnected == false);
        Assert.Contains(b.GetStatus().Cluster!.Problems, p => p.Contains("Redis", StringComparison.Ordinal));
        await a.InsertFeedbackAsync([View("u1", "i1")], overwrite: false, Ct);
        var written = Stopwatch.GetTimestamp();
        await EventuallyAsync(() => b.Live.GetSnapshot("u1").Count == 1);
        Assert.True(Stopwatch.GetElapsedTime(written) < TimeSpan.FromSeconds(1), "polling the change log within a second");

        await redis.StartAsync();
        await EventuallyAsync(() => a.GetStatus().Cluster!.BusConnected && b.GetStatus().Cluster!.BusConnected, seconds: 20);
        await a.InsertFeedbackAsync([View("u2", "i1")], overwrite: false, Ct);
        await EventuallyAsync(() => b.Live.GetSnapshot("u2").Count == 1);
    }

    [Fact]
    public async Task EachRowIsAppliedOnceWhetherTheBusBroughtItOrOnlyTheChangeLog()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var busA = new ControlledBus(await BusAsync(redis)) { DropEvery = 2 };
        var busB = new ControlledBus(await BusAsync(redis));
        var a = await NodeAsync("a", busA, poll: s_never, fallback: TimeSpan.FromMilliseconds(50));
        var b = await NodeAsync("b", busB, poll: s_never, fallback: TimeSpan.FromMilliseconds(50));

        // 40 writes, every second one lost on the bus: with the bus up, b does not read the log.
        for (var i = 0; i < 40; i++)
        {
            await a.InsertFeedbackAsync([View($"u{i}", "i1")], overwrite: false, Ct);
        }
        await EventuallyAsync(() => b.GetStatus().Cluster!.ChangesApplied == 20);
        Assert.Null(b.GetStatus().Cluster!.LastFeedRead);
        Assert.Equal(20, Enumerable.Range(0, 40).Count(i => b.Live.GetSnapshot($"u{i}").Count == 1));

        // b believes the bus down and reads the log, which holds all 40: it applies only the 20 the bus lost.
        busB.Connected = false;
        await EventuallyAsync(() => Enumerable.Range(0, 40).All(i => b.Live.GetSnapshot($"u{i}").Count == 1));
        var read = DateTimeOffset.UtcNow;
        await EventuallyAsync(() => b.GetStatus().Cluster!.LastFeedRead > read.AddMilliseconds(200)); // a few more passes
        var status = b.GetStatus().Cluster!;
        Assert.Equal(40, status.ChangesApplied); // each row once (the log's copies of the bus's 20 would make it 60)
        Assert.Equal(20, status.ChangesSkipped);

        // A delete after bus-applied rows still reaches b (the history change is never left out).
        busB.Connected = true;
        busA.DropEvery = 0;
        await a.DeleteFeedbackAsync("u0", "i1", null, Ct);
        await EventuallyAsync(() => b.Live.GetSnapshot("u0").Count == 0);
    }

    [Fact]
    public async Task TheChangeLogIsReadBelowTransactionsStillRunningSoNoChangeIsSkipped()
    {
        var store = Own(await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { Node = "w" }, Ct));
        var start = await store.HeadAsync(Ct);
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var early = await connection.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand("INSERT INTO changes (node, kind, key) VALUES ('w', 3, 'early')", connection, early))
        {
            await insert.ExecuteNonQueryAsync(Ct); // takes its transaction id first, commits last
        }
        await store.InsertUsersAsync([new User("late", [], "")], Ct);

        var page = await store.ReadAsync(start, 100, "reader", Ct);
        Assert.Empty(page.Changes); // "late" is committed, but a transaction below it still runs
        await early.CommitAsync(Ct);
        // (Transactions of other tests, in other databases of the same server, may hold the horizon back for a moment.)
        var after = page.Next;
        await EventuallyAsync(async () => (page = await store.ReadAsync(after, 100, "reader", Ct)).Changes.Count >= 2);
        Assert.Equal(["early", "late"], page.Changes.Select(c => c.Key));
        Assert.All(page.Changes, c => Assert.Equal(ChangeKind.User, c.Kind));
        Assert.Empty((await store.ReadAsync(page.Next, 100, "reader", Ct)).Changes);

        await store.InsertUsersAsync([new User("own", [], "")], Ct);
        var last = page.Next;
        await EventuallyAsync(async () => (await store.ReadAsync(last, 100, "reader", Ct)).Changes.Any(c => c.Key == "own"));
        var own = await store.ReadAsync(last, 100, "w", Ct);
        Assert.Empty(own.Changes); // a node's own changes are left out, and its position still moves past them
        Assert.NotEqual(last, own.Next);
    }

    [Fact]
    public async Task OneNodeHoldsTheTrainerLeaseAndItPassesOnWhenTheHolderGoes()
    {
        var serveOnly = Own(new PostgresTrainerLease(_database, compete: false, TimeSpan.FromMilliseconds(50)));
        var first = new PostgresTrainerLease(_database, compete: true, TimeSpan.FromMilliseconds(50));
        await EventuallyAsync(() => first.IsHeld);
        var second = Own(new PostgresTrainerLease(_database, compete: true, TimeSpan.FromMilliseconds(50)));
        await Task.Delay(300, Ct);
        Assert.False(second.IsHeld);
        Assert.False(serveOnly.IsHeld);

        await first.DisposeAsync(); // its session ends, as when its process dies
        await EventuallyAsync(() => second.IsHeld);
        Assert.False(serveOnly.IsHeld);
    }

    [Fact]
    public async Task GetClusterListsEveryNodeAndTheTrainer()
    {
        var a = await NodeAsync("a", bus: null, poll: TimeSpan.FromMilliseconds(50));
        var b = await NodeAsync("b", bus: null, poll: TimeSpan.FromMilliseconds(50), role: ClusterRole.Serve);
        await EventuallyAsync(async () => (await b.GetClusterAsync(Ct)) is { Nodes.Count: 2, Leader: "a" });

        var view = await b.GetClusterAsync(Ct);
        Assert.Equal("b", view.Node);
        Assert.All(view.Nodes, n => Assert.True(n.Ready));
        Assert.Equal(["a", "b"], view.Nodes.Select(n => n.Node));
        Assert.Equal("serve", view.Nodes[1].Role);
    }

    private async Task<FrescoEngine> NodeAsync(string name, IClusterBus? bus, TimeSpan poll, TimeSpan? fallback = null,
        ClusterRole role = ClusterRole.All, CatalogTrainer? trainer = null, AttributionOptions? attribution = null)
    {
        var store = await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { Node = name }, Ct);
        var options = new ClusterOptions
        {
            Node = name,
            Url = $"http://{name}",
            Role = role,
            PollInterval = poll,
            FallbackPollInterval = fallback ?? poll,
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            NodeTimeout = TimeSpan.FromSeconds(2),
        };
        var lease = new PostgresTrainerLease(_database, compete: role != ClusterRole.Serve, TimeSpan.FromMilliseconds(100));
        var engineOptions = new FrescoEngineOptions
        {
            Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 0 },
            Attribution = attribution ?? new AttributionOptions(),
        };
        var engine = await new FrescoEngineBuilder(store, engineOptions, trainer ?? new CatalogTrainer("itemknn"))
        {
            OwnsStore = true,
            Loggers = _log,
            Cluster = new ClusterServices(options, store, store, lease, bus),
        }.StartAsync(Ct);
        return Own(engine);
    }

    private static async Task<IClusterBus> BusAsync(RedisServer redis)
    {
        var bus = await RedisClusterBus.ConnectAsync(redis.Configuration);
        Assert.True(bus.IsConnected);
        return bus;
    }

    private T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static Feedback View(string user, string item) => new("view", user, item, 1, DateTimeOffset.UtcNow);

    private Task EventuallyAsync(Func<bool> condition, int seconds = 10) => EventuallyAsync(() => Task.FromResult(condition()), seconds);

    private async Task EventuallyAsync(Func<Task<bool>> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s; logged: "
                + string.Join(" | ", _log.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Message} {e.Exception?.Message}")));
            await Task.Delay(5, Ct);
        }
    }

    /// <summary>The Redis bus with faults on demand: every <see cref="DropEvery"/>-th batch published lost, or shown as disconnected.</summary>
    private sealed class ControlledBus(IClusterBus inner) : IClusterBus
    {
        private int _published;

        /// <summary>0: nothing lost; n: every n-th batch published is lost.</summary>
        public int DropEvery { get; set; }

        /// <summary>False: the node sees the bus down (and polls the log) while messages still flow.</summary>
        public bool Connected { get; set; } = true;

        public bool IsConnected => Connected && inner.IsConnected;

        public void Publish(ChangeBatch batch)
        {
            if (DropEvery == 0 || Interlocked.Increment(ref _published) % DropEvery != 0)
            {
                inner.Publish(batch);
            }
        }

        public Task SubscribeAsync(Action<ChangeBatch> receive, CancellationToken cancellationToken = default) =>
            inner.SubscribeAsync(receive, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
