using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit;

[assembly: AssemblyFixture(typeof(Fresco.Cluster.Tests.LocalCluster))]

namespace Fresco.Cluster.Tests;

/// <summary>
/// The cluster's fault scenarios, end to end with the real processes (deploy/cluster/up.sh: PostgreSQL, Redis, HAProxy,
/// three replicas) and the real HTTP API. Every test uses its own user ids and leaves the cluster whole (up.sh again in
/// a finally) for the next. Measured delays are written to the test output.
/// </summary>
public sealed class ClusterFaultTests(LocalCluster cluster, ITestOutputHelper output)
{
    private static readonly string[] s_items = [.. Enumerable.Range(0, 40).Select(i => $"item-{i}")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_written_through_one_replica_is_visible_at_once_there_and_soon_on_the_others()
    {
        await StartAsync();
        var delays = await MeasureVisibilityAsync("fresh", 30);

        output.WriteLine($"cross-replica event-to-visible with Redis: {Summary(delays)}");
        Assert.All(delays, d => Assert.True(d < TimeSpan.FromSeconds(1), $"an event took {d.TotalMilliseconds:F0} ms to be visible"));
    }

    [Fact]
    public async Task Killing_a_serving_replica_under_load_loses_no_acknowledged_event_and_it_rejoins()
    {
        await StartAsync();
        using var balancer = new ClusterApi(cluster.Balancer, TimeSpan.FromSeconds(5));
        // Users with a purchase each, made before the kill; whichever replica they hash to, afterwards another one answers
        // them without the purchased item (it is their latest history).
        var owners = Enumerable.Range(0, 12).Select(i => (User: $"kill-owner-{i}", Item: s_items[i % s_items.Length])).ToArray();
        foreach (var (user, item) in owners)
        {
            Assert.Equal(HttpStatusCode.OK, await balancer.PostFeedbackAsync("view", user, s_items[(Array.IndexOf(s_items, item) + 1) % s_items.Length]));
            Assert.Equal(HttpStatusCode.OK, await balancer.PostFeedbackAsync("purchase", user, item));
        }

        var acknowledged = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<(TimeSpan At, string What)>();
        var requests = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var user = $"kill-writer-{w}-{n}";
                var status = await balancer.PostFeedbackAsync("view", user, s_items[n % s_items.Length]);
                Interlocked.Increment(ref requests);
                if (status == HttpStatusCode.OK)
                {
                    acknowledged.Add(user);
                }
                else
                {
                    failures.Add((clock.Elapsed, $"POST {user}: {(int)status}"));
                }
            }
        }, Ct)).ToArray();
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (user, _) = owners[(n + r) % owners.Length];
                var (status, _) = await balancer.RecommendAsync(user);
                Interlocked.Increment(ref requests);
                if (status != HttpStatusCode.OK)
                {
                    failures.Add((clock.Elapsed, $"GET {user}: {(int)status}"));
                }
            }
        }, Ct)).ToArray();

        TimeSpan killedAt;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            killedAt = clock.Elapsed;
            cluster.KillReplica(2);
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            foreach (var (user, item) in owners)
            {
                var (status, items) = await balancer.RecommendAsync(user);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.DoesNotContain(item, items);
            }
        }
        finally
        {
            await cluster.UpAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await stop.CancelAsync();
        await Task.WhenAll([.. writers, .. readers]);

        var failed = failures.OrderBy(f => f.At).ToArray();
        output.WriteLine($"{requests} requests, {failed.Length} failed, {acknowledged.Count} writes acknowledged; kill at {killedAt.TotalSeconds:F2} s");
        if (failed.Length > 0)
        {
            output.WriteLine($"failures from {failed[0].At.TotalSeconds:F2} s to {failed[^1].At.TotalSeconds:F2} s (gap {(failed[^1].At - failed[0].At).TotalMilliseconds:F0} ms): {failed[0].What}");
        }

        Assert.All(failed, f => Assert.InRange(f.At, killedAt - TimeSpan.FromMilliseconds(200), killedAt + TimeSpan.FromSeconds(3)));
        Assert.True(failed.Length <= requests / 50, $"{failed.Length} of {requests} requests failed (more than 2%)");
        var stored = await StoredUsersAsync("kill-writer-%");
        Assert.All(acknowledged, u => Assert.Contains(u, stored));

        // The restarted replica is back in the cluster and answers the owners with their latest history itself.
        using var restarted = new ClusterApi(cluster.Replica(2));
        foreach (var (user, item) in owners)
        {
            var (status, items) = await restarted.RecommendAsync(user);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain(item, items);
        }

        var nodes = (await restarted.GetJsonAsync("/api/cluster"))["Nodes"]!.AsArray();
        Assert.Contains(nodes, n => (string)n!["Node"]! == "r2" && (bool)n["Ready"]!);
    }

    [Fact]
    public async Task Killing_the_trainer_hands_the_lease_to_another_replica_which_trains_at_the_next_trigger()
    {
        await StartAsync();
        using var balancer = new ClusterApi(cluster.Balancer);
        // One trainer at a time: every replica agrees on it and exactly one node says it holds the lease.
        string? leader = null;
        var agreed = await ClusterApi.WaitUntilAsync(async () =>
        {
            var views = new List<JsonNode>();
            for (var i = 1; i <= LocalCluster.Replicas; i++)
            {
                using var replica = new ClusterApi(cluster.Replica(i));
                views.Add(await replica.GetJsonAsync("/api/cluster"));
            }

            leader = (string?)views[0]["Leader"];
            return leader is not null
                && views.All(v => (string?)v["Leader"] == leader
                    && v["Nodes"]!.AsArray().Count(n => (bool)n!["Trainer"]!) == 1);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));
        Assert.True(agreed is not null && leader is not null, "the replicas do not agree on one trainer");
        var killed = int.Parse(leader.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
        var other = killed % LocalCluster.Replicas + 1;
        using var survivor = new ClusterApi(cluster.Replica(other));
        var versionBefore = await NewestVersionAsync(survivor);

        try
        {
            var sinceKill = Stopwatch.StartNew(); // the kill itself waits for the process to be gone
            cluster.KillReplica(killed);
            JsonNode? view = null;
            var handover = await ClusterApi.WaitUntilAsync(async () =>
            {
                view = await survivor.GetJsonAsync("/api/cluster");
                return (string?)view["Leader"] is { } now && now != leader;
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            output.WriteLine($"trainer {leader} killed; another replica held the lease {sinceKill.Elapsed.TotalSeconds:F2} s after the kill: {view?.ToJsonString()}");
            Assert.NotNull(handover);

            // The count trigger (AfterEvents=300 in LocalCluster) makes the new trainer train: 320 distinct user-item pairs.
            for (var n = 0; n < 320; n++)
            {
                Assert.Equal(HttpStatusCode.OK, await balancer.PostFeedbackAsync("view", $"trainer-user-{n % 40}", s_items[n % 37]));
            }

            var trained = await ClusterApi.WaitUntilAsync(async () => await NewestVersionAsync(survivor) > versionBefore,
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
            Assert.True(trained is not null, "the new trainer did not train after the event count trigger");
        }
        finally
        {
            await cluster.UpAsync();
        }
    }

    [Fact]
    public async Task With_Redis_stopped_reads_and_writes_go_on_and_replicas_follow_by_polling_until_it_returns()
    {
        await StartAsync();
        try
        {
            cluster.KillRedis();
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            var polled = await MeasureVisibilityAsync("noredis", 15);
            output.WriteLine($"cross-replica event-to-visible without Redis (polling): {Summary(polled)}");
            Assert.All(polled, d => Assert.True(d < TimeSpan.FromSeconds(1), $"an event took {d.TotalMilliseconds:F0} ms without Redis"));
        }
        finally
        {
            await cluster.UpAsync();
        }

        // The replicas reconnect by themselves (no restart): the bus is connected again and no problem is reported.
        for (var i = 1; i <= LocalCluster.Replicas; i++)
        {
            using var replica = new ClusterApi(cluster.Replica(i));
            var healthy = await ClusterApi.WaitUntilAsync(
                async () => (await replica.GetJsonAsync("/api/health/ready"))["Problems"]!.AsArray().Count == 0,
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
            Assert.True(healthy is not null, $"replica r{i} still reports problems after Redis returned");
        }

        var resumed = await MeasureVisibilityAsync("redisback", 15);
        output.WriteLine($"cross-replica event-to-visible after Redis returned: {Summary(resumed)}");
        Assert.All(resumed, d => Assert.True(d < TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task With_PostgreSQL_stopped_writes_answer_503_reads_go_on_and_writes_resume_when_it_returns()
    {
        await StartAsync();
        using var balancer = new ClusterApi(cluster.Balancer);
        const string User = "pgdown-user";
        Assert.Equal(HttpStatusCode.OK, await balancer.PostFeedbackAsync("view", User, s_items[0]));
        await ClusterApi.WaitUntilAsync(async () => await AllReplicasKnowAsync(User), TimeSpan.FromSeconds(2));

        try
        {
            await cluster.StopPostgresAsync();
            using (var refused = await balancer.SendFeedbackAsync("view", User, s_items[1]))
            {
                Assert.NotNull(refused);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.Equal(503, (int)JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!["status"]!);
            }

            Assert.Equal(HttpStatusCode.OK, (await balancer.RecommendAsync(User)).Status);
            Assert.True(await AllReplicasKnowAsync(User), "a replica stopped answering reads without PostgreSQL");
            for (var i = 1; i <= LocalCluster.Replicas; i++)
            {
                using var replica = new ClusterApi(cluster.Replica(i));
                var problems = await ClusterApi.WaitUntilAsync(
                    async () => (await replica.GetJsonAsync("/api/health/ready"))["Problems"]!.AsArray().Count > 0,
                    TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
                Assert.True(problems is not null, $"replica r{i}'s readiness does not report PostgreSQL down");
            }
        }
        finally
        {
            await cluster.UpAsync();
        }

        // Every replica takes writes again (each one's first write after the outage may still meet a dead pooled connection).
        for (var i = 1; i <= LocalCluster.Replicas; i++)
        {
            using var replica = new ClusterApi(cluster.Replica(i));
            var resumed = await ClusterApi.WaitUntilAsync(
                async () => await replica.PostFeedbackAsync("view", User, s_items[2 + i]) == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            output.WriteLine($"r{i}: writes resumed {resumed?.TotalSeconds:F2} s after PostgreSQL was ready again");
            Assert.NotNull(resumed);
        }
    }

    [Fact]
    public async Task After_the_whole_cluster_restarts_every_acknowledged_event_and_the_serving_model_are_back()
    {
        await StartAsync();
        using (var balancer = new ClusterApi(cluster.Balancer))
        {
            for (var n = 0; n < 60; n++)
            {
                Assert.Equal(HttpStatusCode.OK, await balancer.PostFeedbackAsync("view", $"restart-user-{n}", s_items[n % s_items.Length]));
            }

            var (status, body) = await balancer.PostAsync("/api/models/train");
            Assert.True(status == HttpStatusCode.OK, body);
        }

        // The serving version at shutdown, as PostgreSQL records it (the trainer may still promote a model until it stops).
        await cluster.DownAsync();
        await cluster.StartPostgresAsync();
        long serving;
        await using (var connection = new NpgsqlConnection(cluster.Postgres))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT version FROM models WHERE serving", connection);
            serving = (long)(await command.ExecuteScalarAsync(Ct))!;
        }

        await cluster.UpAsync();

        Assert.Equal(60, (await StoredUsersAsync("restart-user-%")).Count);
        for (var i = 1; i <= LocalCluster.Replicas; i++)
        {
            using var replica = new ClusterApi(cluster.Replica(i));
            Assert.Equal(serving, (long?)(await replica.GetJsonAsync("/api/models"))["Serving"]);
            for (var n = 0; n < 60; n += 7)
            {
                Assert.Equal(HttpStatusCode.OK, (await replica.RecommendAsync($"restart-user-{n}")).Status);
            }
        }
    }

    private async Task StartAsync()
    {
        await cluster.EnsureStartedAsync();
        using var balancer = new ClusterApi(cluster.Balancer);
        await balancer.PostItemsAsync(s_items);
    }

    /// <summary>
    /// For each of <paramref name="count"/> new users: one event through replica A, then the time until replica B (the next
    /// one) knows the user (answers /api/recommend 200, not 404). Also checks A knows at once.
    /// </summary>
    private async Task<List<TimeSpan>> MeasureVisibilityAsync(string prefix, int count)
    {
        var delays = new List<TimeSpan>();
        for (var n = 0; n < count; n++)
        {
            var a = n % LocalCluster.Replicas + 1;
            var b = a % LocalCluster.Replicas + 1;
            using var writer = new ClusterApi(cluster.Replica(a));
            using var reader = new ClusterApi(cluster.Replica(b));
            var user = $"{prefix}-{Guid.NewGuid():N}";
            Assert.Equal(HttpStatusCode.NotFound, (await reader.RecommendAsync(user)).Status);
            Assert.Equal(HttpStatusCode.OK, await writer.PostFeedbackAsync("view", user, s_items[n % s_items.Length]));
            var clock = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, (await writer.RecommendAsync(user)).Status);
            var visible = await ClusterApi.WaitUntilAsync(async () => (await reader.RecommendAsync(user)).Status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1));
            Assert.True(visible is not null, $"an event written through r{a} was not visible on r{b} within 5 s");
            delays.Add(clock.Elapsed);
        }

        return delays;
    }

    private async Task<bool> AllReplicasKnowAsync(string user)
    {
        for (var i = 1; i <= LocalCluster.Replicas; i++)
        {
            using var replica = new ClusterApi(cluster.Replica(i));
            if ((await replica.RecommendAsync(user)).Status != HttpStatusCode.OK)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<long> NewestVersionAsync(ClusterApi api)
    {
        var versions = (await api.GetJsonAsync("/api/models"))["Versions"]!.AsArray();
        return versions.Count == 0 ? 0 : versions.Max(v => (long)v!["Version"]!);
    }

    private async Task<HashSet<string>> StoredUsersAsync(string pattern)
    {
        await using var connection = new NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT DISTINCT user_id FROM feedback WHERE user_id LIKE @p", connection);
        command.Parameters.AddWithValue("p", pattern);
        var users = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            users.Add(reader.GetString(0));
        }

        return users;
    }

    private static string Summary(List<TimeSpan> delays)
    {
        var sorted = delays.Select(d => d.TotalMilliseconds).Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return $"n={sorted.Length} p50={At(0.5):F1} ms p99={At(0.99):F1} ms max={sorted[^1]:F1} ms";
    }
}
