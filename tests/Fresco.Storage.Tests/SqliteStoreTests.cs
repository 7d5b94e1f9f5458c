using System.Diagnostics.Metrics;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;
using Fresco.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>The contract suite over <see cref="SqliteStore"/>, each test in a fresh temp folder.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-store-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IStore> OpenAsync() => await SqliteStore.OpenAsync(_directory, Ct);

    protected override void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task TheDatabaseIsInWalModeWithModelFilesInTheDataFolder()
    {
        await Store.SaveModelAsync(7, "pop", T0, new Dictionary<string, double>(), new MemoryStream([1]), Ct);
        Assert.True(File.Exists(Path.Combine(_directory, "fresco.db")));
        Assert.True(File.Exists(Path.Combine(_directory, "fresco.db-wal")));
        Assert.True(File.Exists(Path.Combine(_directory, "models", "7.model")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "models"), "*.tmp"));
    }

    [Fact]
    public async Task MoreConcurrentWritesThanTheQueueHoldsWaitForRoomAndAllCommit()
    {
        var sqlite = (SqliteStore)Store;
        var writes = SqliteStore.QueueCapacity + 1500;
        var maxDepth = 0;
        var tasks = new Task<int>[writes];
        for (var i = 0; i < writes; i++)
        {
            tasks[i] = Store.InsertFeedbackAsync([new Feedback("view", "u" + (i % 97), "i" + i, 1, T0)], overwrite: false, cancellationToken: Ct);
            maxDepth = Math.Max(maxDepth, sqlite.QueueDepth);
        }
        var written = await Task.WhenAll(tasks);

        Assert.All(written, n => Assert.Equal(1, n));
        Assert.InRange(maxDepth, 1, SqliteStore.QueueCapacity);
        Assert.Equal(0, sqlite.QueueDepth);
        Assert.Equal(writes, await Store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task AWriteThatThrowsInAGroupRollsBackAloneAndTheOthersInTheGroupCommit()
    {
        var sqlite = (SqliteStore)Store;
        using var hold = new ManualResetEventSlim();
        var blocker = sqlite.WriteAsync(_ => hold.Wait(TimeSpan.FromSeconds(10)), Ct); // occupies the writer thread
        while (sqlite.QueueDepth > 0)
        {
            await Task.Delay(1, Ct);
        }

        // Queued behind the blocker, these three run as one group: first together, then (after the throw) one by one.
        var before = Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], overwrite: false, cancellationToken: Ct);
        var failing = sqlite.WriteAsync<int>(tx =>
        {
            using var command = tx.Connection!.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "INSERT INTO users (user_id, labels, comment) VALUES ('ghost', '[]', '')";
            command.ExecuteNonQuery();
            throw new InvalidOperationException("boom");
        }, Ct);
        var after = Store.InsertFeedbackAsync([Fb("like", "u2", "i2")], overwrite: false, cancellationToken: Ct);
        hold.Set();

        Assert.True(await blocker);
        Assert.Equal(1, await before);
        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(1, await after);
        await ReopenAsync();
        Assert.Null(await Store.TryGetUserAsync("ghost", Ct));
        Assert.Equal(["like/u1/i1=1@0", "like/u2/i2=1@0"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));
        Assert.NotNull(await Store.TryGetUserAsync("u2", Ct));
        Assert.NotNull(await Store.TryGetItemAsync("i2", Ct));
    }

    [Fact]
    public async Task CommittedPagesReachTheDatabaseFileWhileTheStoreIsOpen()
    {
        // The writer has automatic checkpoints off; the checkpoint thread copies the WAL into the database file.
        var database = new FileInfo(Path.Combine(_directory, SqliteStore.DatabaseFileName));
        var before = database.Length;
        for (var b = 0; b < 20; b++)
        {
            var batch = Enumerable.Range(0, 500).Select(i => Fb("click", $"user-{b}-{i}", $"item-{i % 97}")).ToArray();
            await Store.InsertFeedbackAsync(batch, overwrite: false, cancellationToken: Ct);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            database.Refresh();
            if (database.Length > before + (1 << 20))
            {
                break;
            }
            await Task.Delay(20, Ct);
        }

        Assert.True(database.Length > before + (1 << 20), $"the database file grew from {before} to {database.Length} bytes only");
        Assert.Equal(10_000, await Store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task FailedCheckpointsAreCountedEachTimeAndLoggedOncePerRunOfFailures()
    {
        var directory = _directory + "-faults";
        var logger = new RecordingLogger();
        using var meters = new TestMeterFactory();
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Owns(instrument.Meter) && instrument.Name == "store.checkpoint_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Assert.Equal("passive", tags[0].Value);
            Interlocked.Add(ref failures, value);
        });
        listener.Start();
        try
        {
            await using (var store = await SqliteStore.OpenAsync(directory, new SqliteStoreOptions { Logger = logger, MeterFactory = meters }, Ct))
            {
                store.CheckpointFault = _ => throw new SqliteException("database or disk is full", 13);
                for (var i = 1; i <= 3; i++)
                {
                    await store.InsertFeedbackAsync([Fb("like", "u" + i, "i1")], overwrite: false, cancellationToken: Ct);
                    await WaitUntil(() => Interlocked.Read(ref failures) >= i);
                }
                store.CheckpointFault = null;
                await store.InsertFeedbackAsync([Fb("like", "u4", "i1")], overwrite: false, cancellationToken: Ct);
                await WaitUntil(() => logger.Entries.Any(e => e.Level == LogLevel.Information));
                Assert.Equal(4, await store.CountFeedbackAsync(Ct)); // no write failed
            }

            Assert.Equal(3, Interlocked.Read(ref failures));
            var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
            Assert.Contains("checkpoint (passive) failed (SQLite error 13)", warning.Message);
            Assert.IsType<SqliteException>(warning.Exception);
            Assert.Contains("after 3 failures", Assert.Single(logger.Entries, e => e.Level == LogLevel.Information).Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5, Ct);
        }
    }

    [Theory]
    [InlineData("items", "item_id", "PRIMARY KEY")]
    [InlineData("users", "user_id", "PRIMARY KEY")]
    [InlineData("feedback", null, "INTEGER PRIMARY KEY")]
    [InlineData("feedback", "type", "INDEX feedback_type_seq")]
    public async Task ListingPagesSeekAnIndexInsteadOfScanningFromTheStart(string table, string? column, string index)
    {
        await Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], overwrite: false, cancellationToken: Ct);
        var sql = table == "feedback"
            ? SqliteStore.ListFeedbackSql(ofType: column is not null)
            : SqliteStore.ListByIdSql(table, column!, column!, afterCursor: true);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, SqliteStore.DatabaseFileName)};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        command.Parameters.AddWithValue("$after", table == "feedback" ? 0L : "a");
        command.Parameters.AddWithValue("$type", "like");
        command.Parameters.AddWithValue("$limit", 10L);
        var plan = new List<string>();
        using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
        }

        var step = Assert.Single(plan);
        Assert.StartsWith($"SEARCH {table} USING", step);
        Assert.Contains(index, step);
    }
}
