using Fresco.Engine.Storage;
using Fresco.Storage.Postgres;
using Fresco.TestKit.Postgres;
using Npgsql;
using Xunit;

namespace Fresco.Storage.Tests.Postgres;

/// <summary>Monthly feedback partitions of <see cref="PostgresStore"/>: created ahead and on write, dropped after the TTL.</summary>
public sealed class PostgresPartitionTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);

    private readonly Clock _clock = new();
    private string _database = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async ValueTask DisposeAsync() => await server.DropDatabaseAsync(_database);

    [Fact]
    public async Task PartitionsAheadExistAtOpenAndAWriteCreatesTheMonthItNeeds()
    {
        _clock.Now = s_now;
        await using var store = await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { PartitionMonthsAhead = 3, TimeProvider = _clock }, Ct);
        Assert.Equal(["feedback_default", "feedback_p202612", "feedback_p202701", "feedback_p202702", "feedback_p202703"], await PartitionsAsync());

        await store.InsertFeedbackAsync(
        [
            Fb("a", "recent", new DateTimeOffset(2025, 7, 10, 12, 0, 0, TimeSpan.FromHours(-5))),
            Fb("a", "old", new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Fb("a", "far", new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Fb("a", "now", s_now),
        ], overwrite: false, cancellationToken: Ct);

        Assert.Equal("feedback_p202507", await PartitionOfAsync("recent"));
        Assert.Equal("feedback_default", await PartitionOfAsync("old"));   // older than PartitionMonthsBack
        Assert.Equal("feedback_default", await PartitionOfAsync("far"));   // beyond PartitionMonthsAhead
        Assert.Equal("feedback_p202612", await PartitionOfAsync("now"));
        Assert.Equal(["recent", "old", "far", "now"], (await ReadAllAsync(store)).Select(f => f.UserId));
    }

    [Fact]
    public async Task OverwriteMovesARowToThePartitionOfItsNewTimeAndKeepsItsPlace()
    {
        _clock.Now = s_now;
        await using var store = await PostgresStore.OpenAsync(_database, new PostgresStoreOptions { TimeProvider = _clock }, Ct);
        await store.InsertFeedbackAsync([Fb("a", "u1", s_now.AddMonths(-3)), Fb("a", "u2", s_now)], overwrite: false, cancellationToken: Ct);
        Assert.Equal("feedback_p202609", await PartitionOfAsync("u1"));

        Assert.Equal(1, await store.InsertFeedbackAsync([Fb("a", "u1", s_now.AddMonths(-1), 7)], overwrite: true, cancellationToken: Ct));

        Assert.Equal("feedback_p202611", await PartitionOfAsync("u1"));
        var all = await ReadAllAsync(store);
        Assert.Equal(["u1", "u2"], all.Select(f => f.UserId));
        Assert.Equal(7, all[0].Value);
        Assert.Equal(2, await store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task ExpiredPartitionsAreDroppedWithTheirKeysAndPartlyExpiredOnesStay()
    {
        _clock.Now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var options = new PostgresStoreOptions { PartitionMonthsAhead = 3, FeedbackTtl = TimeSpan.FromDays(180), TimeProvider = _clock };
        await using var store = await PostgresStore.OpenAsync(_database, options, Ct);
        await store.InsertFeedbackAsync(
        [
            Fb("a", "january", new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero)),
            Fb("a", "june", new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero)),
            Fb("a", "ancient", new DateTimeOffset(2019, 5, 1, 0, 0, 0, TimeSpan.Zero)),
        ], overwrite: false, cancellationToken: Ct);
        Assert.Equal("feedback_p202601", await PartitionOfAsync("january"));
        Assert.Equal("feedback_default", await PartitionOfAsync("ancient"));
        Assert.Equal(0, await store.DropExpiredPartitionsAsync(Ct)); // no partition expired; the ancient row did
        Assert.Null(await PartitionOfAsync("ancient"));

        _clock.Now = s_now; // the cutoff is now 2026-06-07 22:00
        await store.InsertFeedbackAsync([Fb("a", "november", new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero))], false, cancellationToken: Ct);
        Assert.Equal(4, await store.DropExpiredPartitionsAsync(Ct)); // 2026-01 (written), 2026-03..05 (made ahead at open)

        Assert.Equal(["feedback_default", "feedback_p202606", "feedback_p202611"], (await PartitionsAsync()).Where(p => !IsAhead(p)));
        Assert.Equal(["june", "november"], (await ReadAllAsync(store)).Select(f => f.UserId));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM feedback_keys WHERE user_id IN ('january', 'ancient')"));
        // Their keys are gone too, so the same keys can be written again.
        Assert.Equal(2, await store.InsertFeedbackAsync([Fb("a", "january", s_now), Fb("a", "ancient", s_now)], false, cancellationToken: Ct));
        Assert.Equal(0, await store.DropExpiredPartitionsAsync(Ct));
    }

    private static bool IsAhead(string partition) => string.CompareOrdinal(partition, "feedback_p202612") >= 0;

    private static Feedback Fb(string type, string user, DateTimeOffset time, double value = 1) => new(type, user, "i", value, time);

    private static async Task<List<Feedback>> ReadAllAsync(PostgresStore store)
    {
        var all = new List<Feedback>();
        await foreach (var f in store.ReadAllFeedbackAsync(Ct))
        {
            all.Add(f);
        }

        return all;
    }

    private async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'feedback'::regclass ORDER BY 1",
            connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private async Task<string?> PartitionOfAsync(string userId) =>
        (string?)await ScalarAsync($"SELECT tableoid::regclass::text FROM feedback WHERE user_id = '{userId}'");

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
