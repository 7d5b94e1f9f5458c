using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Fresco.Storage.Postgres;
using Fresco.TestKit.Postgres;
using Npgsql;
using Xunit;

namespace Fresco.Storage.Tests.Postgres;

/// <summary>The contract suite over <see cref="PostgresStore"/>, each test in a fresh database, plus its own behaviour.</summary>
public sealed class PostgresStoreTests(PostgresServer server) : StoreContractTests
{
    private string? _database;

    private PostgresStore Postgres => (PostgresStore)Store;

    protected override async Task<IStore> OpenAsync()
    {
        _database ??= await server.CreateDatabaseAsync();
        return await PostgresStore.OpenAsync(_database, null, Ct);
    }

    protected override void Cleanup()
    {
        if (_database is not null)
        {
            server.DropDatabaseAsync(_database).GetAwaiter().GetResult();
        }
    }

    [Fact]
    public async Task TwoNodesWritingTheSameKeysInOppositeOrdersNeverFailOnADeadlock()
    {
        // Two stores on one database, as two cluster nodes, each writing one batch of the same new keys at the same time
        // (both released together from behind a held write): P then Q on one node, Q then P on the other. Each statement
        // waits for the other's uncommitted rows, PostgreSQL aborts one as a deadlock, and the writer runs it again
        // rather than failing the write.
        await using var other = (PostgresStore)await PostgresStore.OpenAsync(_database!, null, Ct);
        for (var round = 0; round < 3; round++)
        {
            var p = Enumerable.Range(0, 1000).Select(k => Fb("view", $"r{round}-p{k % 100}", "i" + (k / 100))).ToArray();
            var q = Enumerable.Range(0, 1000).Select(k => Fb("view", $"r{round}-q{k % 100}", "i" + (k / 100))).ToArray();
            // Users and items exist first: new ones would be created in one order by both, serializing the two.
            await Store.InsertFeedbackAsync([.. p.Concat(q).Select(f => f with { FeedbackType = "seed" })], false, cancellationToken: Ct);
            var hold = new TaskCompletionSource();
            var blockers = new[] { Postgres, other }.Select(s => s.WriteAsync(async (_, _) => { await hold.Task; return 0; }, Ct)).ToArray();
            while (Postgres.QueueDepth > 0 || other.QueueDepth > 0)
            {
                await Task.Delay(1, Ct);
            }

            var writes = new[]
            {
                Store.InsertFeedbackAsync([.. p, .. q], false, cancellationToken: Ct),
                other.InsertFeedbackAsync([.. q, .. p], false, cancellationToken: Ct),
            };
            hold.SetResult();
            await Task.WhenAll(blockers);
            await Task.WhenAll(writes);
        }

        Assert.Equal(3 * 4000, await Store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task ConcurrentBatchesQueuedBehindACommitShareTheNextOne()
    {
        var hold = new TaskCompletionSource();
        var blocker = Postgres.WriteAsync(async (_, _) => { await hold.Task; return 0; }, Ct); // occupies the writer
        while (Postgres.QueueDepth > 0)
        {
            await Task.Delay(1, Ct);
        }

        var before = Postgres.GroupsCommitted;
        var writes = Enumerable.Range(0, 64)
            .Select(i => Store.InsertFeedbackAsync([Fb("view", "u" + i, "i" + (i % 5)), Fb("view", "u" + i, "j")], false, cancellationToken: Ct))
            .ToList();
        Assert.Equal(64, Postgres.QueueDepth);
        hold.SetResult();

        await blocker;
        Assert.All(await Task.WhenAll(writes), n => Assert.Equal(2, n));
        Assert.Equal(before + 2, Postgres.GroupsCommitted); // the blocker's transaction, then one for all 64 batches
        Assert.Equal(128, await Store.CountFeedbackAsync(Ct));
        Assert.Equal(0, Postgres.QueueDepth);
    }

    [Fact]
    public async Task AWriteThatFailsInTheServerRollsBackAloneAndTheOthersInTheGroupCommit()
    {
        var hold = new TaskCompletionSource();
        var blocker = Postgres.WriteAsync(async (_, _) => { await hold.Task; return 0; }, Ct);
        while (Postgres.QueueDepth > 0)
        {
            await Task.Delay(1, Ct);
        }

        // Queued behind the blocker, these three run as one group: first together, then (after the error) one by one.
        var before = Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], overwrite: false, cancellationToken: Ct);
        var failing = Postgres.WriteAsync<int>(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("INSERT INTO users (user_id) VALUES ('ghost'); SELECT 1 / 0;", connection, transaction);
            return await command.ExecuteNonQueryAsync();
        }, Ct);
        var after = Store.InsertFeedbackAsync([Fb("like", "u2", "i2")], overwrite: true, cancellationToken: Ct);
        hold.SetResult();

        await blocker;
        Assert.Equal(1, await before);
        Assert.Equal(PostgresErrorCodes.DivisionByZero, (await Assert.ThrowsAsync<PostgresException>(() => failing)).SqlState);
        Assert.Equal(1, await after);
        await ReopenAsync();
        Assert.Null(await Store.TryGetUserAsync("ghost", Ct));
        Assert.Equal(["like/u1/i1=1@0", "like/u2/i2=1@0"], Show(await ToListAsync(Store.ReadAllFeedbackAsync(Ct))));
    }

    [Fact]
    public async Task TwoNodesCreatingTheSameNewIdsInOppositeOrdersNeverDeadlock()
    {
        // Node A's group writes a batch of new user x, then (after both nodes got there) one of new user y; node B's
        // group y, then x. Created inside the groups' transactions, x and y would be locked in opposite orders: a
        // deadlock every time. Created before the groups, in one order, they never are.
        await using var other = (PostgresStore)await PostgresStore.OpenAsync(_database!, new PostgresStoreOptions { Node = "b" }, Ct);
        var hold = new TaskCompletionSource();
        var blockers = new[] { Postgres, other }.Select(s => s.WriteAsync(async (_, _) => { await hold.Task; return 0; }, Ct)).ToArray();
        while (Postgres.QueueDepth > 0 || other.QueueDepth > 0)
        {
            await Task.Delay(1, Ct);
        }

        using var bothFirst = new Barrier(2);
        Task<int> Meet(PostgresStore store) => store.WriteAsync((_, _) => Task.Run(() => bothFirst.SignalAndWait(TimeSpan.FromSeconds(5), Ct) ? 1 : 0), Ct);
        var writes = new[]
        {
            Store.InsertFeedbackAsync([Fb("view", "x", "i1")], false, cancellationToken: Ct), Meet(Postgres),
            Store.InsertFeedbackAsync([Fb("view", "y", "i2")], false, cancellationToken: Ct),
            other.InsertFeedbackAsync([Fb("view", "y", "i3")], false, cancellationToken: Ct), Meet(other),
            other.InsertFeedbackAsync([Fb("view", "x", "i4")], false, cancellationToken: Ct),
        };
        hold.SetResult();
        await Task.WhenAll(blockers);

        var written = await Task.WhenAll(writes);
        Assert.Equal([1, 1, 1, 1, 1, 1], written);
        Assert.Equal(0, Postgres.ConflictRetries + other.ConflictRetries);
        Assert.Equal(4, await Store.CountFeedbackAsync(Ct));
    }

    [Fact]
    public async Task ManyConcurrentWritersOnTwoNodesAreAllAcknowledgedAndEachEventIsLoggedOnce()
    {
        // 2 nodes x 32 writers x 5 batches of 20 events; users and items are new and shared by both nodes' batches.
        await using var other = (PostgresStore)await PostgresStore.OpenAsync(_database!, new PostgresStoreOptions { Node = "b" }, Ct);
        var writers = new[] { Postgres, other }.SelectMany((store, node) => Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
        {
            var written = 0;
            for (var b = 0; b < 5; b++)
            {
                var batch = Enumerable.Range(0, 20).Select(i => Fb("view", $"u{(w * 7 + i) % 50}", $"n{node}w{w}b{b}i{i % 10}", seconds: i)).ToArray();
                written += await store.InsertFeedbackAsync([.. batch.Select((f, i) => f with { FeedbackType = "t" + (i / 10) })], false,
                    cancellationToken: Ct);
            }
            return written;
        }, Ct))).ToArray();

        Assert.All(await Task.WhenAll(writers), n => Assert.Equal(100, n));
        Assert.Equal(6400, await Store.CountFeedbackAsync(Ct));
        Assert.Equal(320L, await ScalarAsync("SELECT count(*) FROM changes")); // one row per write
        Assert.Equal(6400L, await ScalarAsync("SELECT count(*) FROM changes, unnest(user_ids)"));
        Assert.Equal(6400L, await ScalarAsync("SELECT count(DISTINCT (t, u, i)) FROM changes, unnest(feedback_types, user_ids, item_ids) AS r(t, u, i)"));
    }

    [Fact]
    public async Task ACommitThatFailsFailsEveryWriteOfItsGroupAndAcknowledgesNone()
    {
        var hold = new TaskCompletionSource();
        var blocker = Postgres.WriteAsync(async (_, _) => { await hold.Task; return 0; }, Ct);
        while (Postgres.QueueDepth > 0)
        {
            await Task.Delay(1, Ct);
        }

        // One group: two inserts around a write whose deferred constraint fails only at COMMIT.
        var before = Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], overwrite: false, cancellationToken: Ct);
        var failing = Postgres.WriteAsync<int>(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                CREATE TEMP TABLE twice (x int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP;
                INSERT INTO twice VALUES (1), (1);
                """, connection, transaction);
            return await command.ExecuteNonQueryAsync();
        }, Ct);
        var after = Store.InsertFeedbackAsync([Fb("like", "u2", "i2")], overwrite: false, cancellationToken: Ct);
        hold.SetResult();
        await blocker;

        foreach (var write in new[] { before, failing, after })
        {
            Assert.Equal(PostgresErrorCodes.UniqueViolation, (await Assert.ThrowsAsync<PostgresException>(() => write)).SqlState);
        }
        Assert.Equal(0, await Store.CountFeedbackAsync(Ct));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM changes"));
        Assert.Equal(1, await Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], overwrite: false, cancellationToken: Ct)); // the writer goes on
    }

    [Fact]
    public async Task OpeningAgainKeepsTheSchemaAndRefusesANewerVersion()
    {
        await Store.InsertFeedbackAsync([Fb("like", "u1", "i1")], false, cancellationToken: Ct);
        await ReopenAsync();
        Assert.Equal(1, await Store.CountFeedbackAsync(Ct));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM fresco_schema"));

        await ScalarAsync("INSERT INTO fresco_schema (version) VALUES (999)");
        await Assert.ThrowsAsync<NotSupportedException>(() => PostgresStore.OpenAsync(_database!, null, Ct));
    }

    [Fact]
    public async Task ASchemaVersion2DatabaseGainsTheImpressionTablesOnOpen()
    {
        await ScalarAsync("DROP TABLE impressions; DROP TABLE attributions; DELETE FROM fresco_schema; INSERT INTO fresco_schema (version) VALUES (2)");
        await ReopenAsync();

        Assert.Equal(4, await ScalarAsync("SELECT max(version) FROM fresco_schema"));
        await Store.InsertImpressionsAsync([new Impression("r1", "u1", null, null, "exp", "a", ["i1"], T0)], Ct);
        await Store.InsertAttributionsAsync([new Attribution("r1", "u1", "i1", "click", AttributionKind.Click, 1, T0)], Ct);
        Assert.Equal([new ExperimentUserOutcome("u1", "a", 1, 1, 0, 0, 0)], await Store.GetExperimentOutcomesAsync("exp", Ct));
    }

    [Fact]
    public async Task AnInsertIsLoggedAsOneChangeRowThatReadsBackAsItsRowsInInsertionOrder()
    {
        var start = await Postgres.HeadAsync(Ct);
        var batch = Enumerable.Range(0, 50).Select(i => Fb("view", "u" + (i % 7), "i" + i, value: i, seconds: 50 - i)).ToArray();
        Assert.Equal(50, await Store.InsertFeedbackAsync([.. batch, Fb("view", "u0", "i0", value: 99)], false, cancellationToken: Ct));
        Assert.Equal(0, await Store.InsertFeedbackAsync([Fb("view", "u1", "i1", value: 99)], false, cancellationToken: Ct)); // kept: logs nothing

        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM changes"));
        var read = await ChangesAfterAsync(start, 4096, 50);
        Assert.Equal(Show(batch), Show(read.Select(c => c.Feedback!)));
        Assert.All(read, c => Assert.Equal((ChangeKind.Feedback, c.Feedback!.UserId), (c.Kind, c.Key)));
    }

    [Fact]
    public async Task AChangePageEndsAfterTheWriteThatReachesItsSizeAndTheNextPageGoesOn()
    {
        var start = await Postgres.HeadAsync(Ct);
        for (var write = 0; write < 3; write++)
        {
            await Store.InsertFeedbackAsync([.. Enumerable.Range(0, 10).Select(i => Fb("view", $"u{write}", $"i{i}"))], false, cancellationToken: Ct);
        }
        await ChangesAfterAsync(start, 4096, 30); // every write below the horizon

        var first = await Postgres.ReadAsync(start, 15, "reader", Ct);
        Assert.Equal(20, first.Changes.Count); // the second write starts before the 15th change and is not split
        Assert.True(first.More);
        var second = await Postgres.ReadAsync(first.Next, 15, "reader", Ct);
        Assert.Equal(Enumerable.Repeat("u2", 10), second.Changes.Select(c => c.Key));
        Assert.False(second.More);
        Assert.Empty((await Postgres.ReadAsync(second.Next, 15, "reader", Ct)).Changes);
    }

    [Fact]
    public async Task ASchemaVersion3DatabaseGainsTheChangeLogsArraysOnOpenAndItsOldRowsAreStillRead()
    {
        // Version 3's change log: no array columns, one row per feedback event.
        await ScalarAsync("""
            ALTER TABLE changes DROP COLUMN user_ids, DROP COLUMN item_ids, DROP COLUMN feedback_types, DROP COLUMN feedback_values,
                DROP COLUMN feedback_times, RESET (toast_tuple_target);
            DELETE FROM fresco_schema; INSERT INTO fresco_schema (version) VALUES (3);
            INSERT INTO changes (node, kind, key, item_id, feedback_type, value, ts) VALUES ('old', 1, 'u0', 'i0', 'view', 2, '2026-01-01 00:00:00+00');
            """);
        await ReopenAsync();

        Assert.Equal(4, await ScalarAsync("SELECT max(version) FROM fresco_schema"));
        Assert.Equal("toast_tuple_target=8160", await ScalarAsync("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'changes'"));
        await Store.InsertFeedbackAsync([Fb("view", "u1", "i2", seconds: 5), Fb("view", "u2", "i2", seconds: 6)], false, cancellationToken: Ct);
        var read = await ChangesAfterAsync(new ChangePosition(0, 0), 4096, 3);
        Assert.Equal(["view/u0/i0=2@0", "view/u1/i2=1@5", "view/u2/i2=1@6"], Show(read.Select(c => c.Feedback!)));
    }

    [Fact]
    public async Task OpeningADatabaseWhoseSchemaIsCurrentTakesNoTableLock()
    {
        // A writer of another node mid-transaction holds ROW EXCLUSIVE on feedback. A node (re)starting meanwhile must
        // not wait for it: the schema's CREATE INDEX IF NOT EXISTS takes SHARE on its table before finding the index, which
        // waits for such writers and, holding other tables' locks, deadlocked with them (a replica restarting under load).
        await using var writer = new NpgsqlConnection(_database);
        await writer.OpenAsync(Ct);
        await using var transaction = await writer.BeginTransactionAsync(Ct);
        await using (var lockFeedback = new NpgsqlCommand("LOCK TABLE feedback IN ROW EXCLUSIVE MODE", writer, transaction))
        {
            await lockFeedback.ExecuteNonQueryAsync(Ct);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await using var other = await PostgresStore.OpenAsync(_database!, new PostgresStoreOptions { Node = "b" }, timeout.Token);
        Assert.False(timeout.IsCancellationRequested);
        await transaction.RollbackAsync(Ct);
    }

    [Fact]
    public async Task TheOutcomesOfAnExperimentReadItsIndexAndTheAttributionsKey()
    {
        await Store.InsertImpressionsAsync([new Impression("r1", "u1", null, null, "exp", "a", ["i1"], T0)], Ct);
        var plan = await ExplainAsync(PostgresStore.OutcomesSql, ("experiment", "exp"));

        Assert.True(plan.Contains("impressions_experiment", StringComparison.Ordinal), plan);
        Assert.True(plan.Contains("attributions_pkey", StringComparison.Ordinal), plan);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("items")]
    [InlineData("feedback")]
    [InlineData("feedback-of-type")]
    public async Task ListingPagesSeekAnIndexInsteadOfScanningOrSorting(string listing)
    {
        await Store.InsertFeedbackAsync([Fb("like", "u1", "i1"), Fb("read", "u1", "i2", seconds: 86_400 * 40)], overwrite: false, cancellationToken: Ct);
        var (sql, index) = listing switch
        {
            "users" => (PostgresStore.ListByIdSql("users", "user_id", "user_id", afterCursor: true), "users_pkey"),
            "items" => (PostgresStore.ListByIdSql("items", "item_id", "item_id", afterCursor: true), "items_pkey"),
            "feedback" => (PostgresStore.ListFeedbackSql(ofType: false), "_seq_idx"),
            _ => (PostgresStore.ListFeedbackSql(ofType: true), "_feedback_type_seq_idx"),
        };
        var plan = await ExplainAsync(sql, ("after", listing.StartsWith("feedback", StringComparison.Ordinal) ? 0L : "a"), ("type", "like"), ("limit", 10L));

        // Merge Append keeps each partition's index order ("Sort Key"); there must be no Sort node.
        Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal) || plan.Contains("Sort  (", StringComparison.Ordinal), plan);
        Assert.True(plan.Contains(index, StringComparison.Ordinal), plan);
    }

    [Theory]
    [InlineData("user_id = @user", "_user_id_item_id_feedback_type_idx")]
    [InlineData("user_id = @user AND item_id = @item", "_user_id_item_id_feedback_type_idx")]
    [InlineData("item_id = @item", "_item_id_feedback_type_idx")]
    public async Task AUserOrItemsFeedbackIsFoundThroughAnIndex(string where, string index)
    {
        // Enough rows (over two partitions) that reading the (seq) index and filtering costs more than the right index.
        var batch = Enumerable.Range(0, 4000).Select(i => Fb("like", "u" + (i % 400), "i" + (i / 400 + (i % 7 * 10)), seconds: i % 2 * 86_400 * 40));
        await Store.InsertFeedbackAsync([.. batch], overwrite: false, cancellationToken: Ct);
        var plan = await ExplainAsync($"SELECT * FROM feedback WHERE {where} ORDER BY seq", ("user", "u1"), ("item", "i1"));

        Assert.False(plan.Contains("Seq Scan", StringComparison.Ordinal), plan);
        Assert.True(plan.Contains(index, StringComparison.Ordinal), plan);
    }

    /// <summary>The plan of <paramref name="sql"/>; sequential scans are disabled, as tiny tables would prefer them.</summary>
    private async Task<string> ExplainAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off; ANALYZE;", connection))
        {
            await off.ExecuteNonQueryAsync(Ct);
        }

        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The changes other nodes see after <paramref name="start"/>, in pages of <paramref name="max"/>, once there are
    /// <paramref name="count"/> (transactions of tests in other databases of the server may hold the log's horizon back).
    /// </summary>
    private async Task<List<Change>> ChangesAfterAsync(ChangePosition start, int max, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var changes = new List<Change>();
        var position = start;
        while (true)
        {
            ChangePage page;
            do
            {
                page = await Postgres.ReadAsync(position, max, "reader", Ct);
                changes.AddRange(page.Changes);
                position = page.Next;
            }
            while (page.More);
            if (changes.Count >= count)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{changes.Count} of {count} changes within 10 s");
            await Task.Delay(5, Ct);
        }

        Assert.Equal(count, changes.Count);
        return changes;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
