using System.Text.Json;
using Fresco.Engine;
using Fresco.LoadTest;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// The short soak CI runs (the long one is bench/soak.sh): the real server on loopback, three minutes of the load
/// generator's mixed load with heavy new-user churn and <c>Live:UserTtl</c> of 5 s, so that a leak of user state is
/// large next to the margins. Checked: no answer other than 2xx; the pairs the live state holds in memory a third or
/// less of the events it reflects (without eviction every pair would stay); and the managed heap's growth (after a full
/// collection) from the end of the one-minute warm-up to the end, per new user, under
/// <see cref="MaxBytesPerNewUser"/>. Latency is reported, not checked (a loaded 2-core CI machine). Runs alone
/// (<see cref="ProcessMetrics"/>): the heap is the process's.
/// </summary>
[Collection(nameof(ProcessMetrics))]
public sealed class SoakTests
{
    private const int Warmup = 2;

    /// <summary>
    /// What a new user may leave in the heap once evicted: measured about 800 B with 64 ALS factors (their id and index
    /// slot, an empty snapshot, their row of the retrained model, the generator's own list); the served ALS has the
    /// default options, 128 factors since 2026-12-05, whose user row holds 256 B more (about 1.05 KB expected; the test
    /// passed under this bound then). A user whose history stayed in memory adds about 1.5 KB more (their stored rows
    /// stay, so id compaction does not release their slots: this bound is per user, not a flat heap).
    /// </summary>
    private const double MaxBytesPerNewUser = 1500;

    [Fact]
    public async Task ThreeMinutesOfMixedLoadAnswerEveryRequestAndKeepMemoryFlat()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new DataFolder();
        await using var app = await TestApp.StartListeningAsync(folder.Path, ("Live:UserTtl", "00:00:05"), ("Training:Model", "als"),
            ("Training:Interval", "00:00:00"), ("Training:AfterEvents", "0"), ("Recommend:CacheUsers", "500"),
            // Shedding off: on a loaded CI machine a shed read (503) is the overload guard working, not a soak failure.
            ("Server:QueueDelayTarget", "00:00:00"));
        await SeedAsync(app);
        var engine = Assert.IsType<FrescoEngine>(app.Services.GetRequiredService<IFrescoEngine>());
        using var client = new ApiClient(app.BaseAddress.ToString(), null, maxConnections: 32);
        var inMemory = new List<long>();
        var settings = new SoakSettings(TimeSpan.FromMinutes(3), 60, () => GC.GetTotalMemory(forceFullCollection: true),
            _ =>
            {
                inMemory.Add(PairsInMemory(engine));
                return Task.CompletedTask;
            })
        {
            Period = TimeSpan.FromSeconds(30),
            WriteShare = 0.5,
            NewUserShare = 0.8,
            CatalogEvery = TimeSpan.FromSeconds(2),
            TrainEvery = TimeSpan.FromSeconds(45),
        };

        var periods = await new Soak(client, settings).RunAsync(ct);

        // Memory is checked per new user below, not as a share of this small heap (the ids of new users stay).
        var verdict = SoakVerdict.Of(periods, Warmup, maxMemoryGrowth: double.PositiveInfinity, maxP99Growth: null);
        var events = engine.GetStatus().Events;
        var baseline = periods[Warmup];
        var perNewUser = (double)(periods[^1].Memory - baseline.Memory) / (periods[^1].NewUsers - baseline.NewUsers);
        var figures = string.Join("\n", periods.Select((p, i) => $"{p} pairs in memory={inMemory[i]}"))
            + $"\nevents={events}, heap growth after the warm-up per new user={perNewUser:F0} B\n{verdict}";
        TestContext.Current.SendDiagnosticMessage(figures);
        Assert.True(verdict.Failures.Count == 0, figures);
        Assert.True(inMemory[^1] * 3 <= events, $"users do not leave memory:\n{figures}");
        Assert.True(perNewUser < MaxBytesPerNewUser, $"the heap grows too fast per new user:\n{figures}");
        Assert.True(periods.Sum(p => p.Events) > 5000, "the load wrote too little to show a leak");
    }

    /// <summary>300 items in 10 categories; 200 users with 10 views each; a first model.</summary>
    private static async Task SeedAsync(TestApp app)
    {
        var items = Enumerable.Range(0, 300).Select(i => new
        {
            ItemId = "i" + i,
            IsHidden = false,
            Categories = new[] { "c" + (i % 10) },
            Labels = Array.Empty<string>(),
            Comment = "",
            Timestamp = DateTimeOffset.UtcNow,
        });
        (await app.Post("/api/items", JsonSerializer.Serialize(items))).EnsureSuccessStatusCode();
        var random = new Random(3);
        var feedback = Enumerable.Range(0, 2000).Select(e => new
        {
            FeedbackType = "view",
            UserId = "u" + (e / 10),
            ItemId = "i" + ((e / 10 % 10 * 30) + random.Next(30)),
            Value = 1.0,
            Timestamp = DateTimeOffset.UtcNow,
        });
        (await app.Post("/api/feedback", JsonSerializer.Serialize(feedback))).EnsureSuccessStatusCode();
        (await app.Post("/api/models/train", "")).EnsureSuccessStatusCode();
    }

    /// <summary>User-item pairs held in the live state's memory (evicted users hold none).</summary>
    private static long PairsInMemory(FrescoEngine engine)
    {
        var live = engine.Live;
        var pairs = 0L;
        for (var u = 0; u < live.UserCount; u++)
        {
            pairs += live.GetSnapshot(u).Count;
        }
        return pairs;
    }
}
