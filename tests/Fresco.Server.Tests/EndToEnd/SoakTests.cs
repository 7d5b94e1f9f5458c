using System.Text.Json;
using Fresco.Engine;
using Fresco.LoadTest;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// The short soak CI runs (the long one is bench/soak.sh), in a steady state: the real server on loopback, a seed whose
/// feedback falls in the last minute, <c>Store:FeedbackTtl</c> of one minute (so it ages out gradually), heavy new-user
/// churn over a fixed pool of active users (each new user sends one quiet), <c>Live:UserTtl</c> of 5 s and a training
/// every 20 s (which releases the slots of dead users for new ones). After a warm-up of the TTL, the pool's turnover
/// (about 8 s) and a training (100 s), the live data and the id space are flat, and so is the managed heap (after a
/// full collection). Checked: no answer other
/// than 2xx; the users known (slots in use) and the events in the live state at the end at most 25% above their level
/// at the end of the warm-up; the heap's growth over the same span (to the lower of the last two periods) under <see cref="MaxHeapGrowth"/>. Latency is
/// reported, not checked (a loaded 2-core CI machine). Runs alone (<see cref="ProcessMetrics"/>): the heap is the process's.
/// </summary>
[Collection(nameof(ProcessMetrics))]
public sealed class SoakTests
{
    private const int Warmup = 5;

    /// <summary>Percent, as bench/soak.sh's resident-memory bound.</summary>
    private const double MaxHeapGrowth = 5;

    private static readonly TimeSpan s_feedbackTtl = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ThreeMinutesOfMixedLoadAnswerEveryRequestAndKeepMemoryFlat()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new DataFolder();
        await using var app = await TestApp.StartListeningAsync(folder.Path, ("Live:UserTtl", "00:00:05"),
            ("Store:FeedbackTtl", s_feedbackTtl.ToString()), ("Store:ExpiryInterval", "00:00:05"), ("Training:Model", "als"),
            // The shown index (impressions, a 24 h window) holds at most this many users: full, so flat, after the warm-up.
            ("Impressions:MaxShownUsers", "500"),
            ("Training:Interval", "00:00:00"), ("Training:AfterEvents", "0"), ("Recommend:CacheUsers", "500"),
            // Shedding off: on a loaded CI machine a shed read (503) is the overload guard working, not a soak failure.
            ("Server:QueueDelayTarget", "00:00:00"));
        await SeedAsync(app);
        var engine = Assert.IsType<FrescoEngine>(app.Services.GetRequiredService<IFrescoEngine>());
        using var client = new ApiClient(app.BaseAddress.ToString(), null, maxConnections: 32);
        var sizes = new List<(long Pairs, int Users, long Events)>();
        var settings = new SoakSettings(TimeSpan.FromMinutes(3), 60, () => GC.GetTotalMemory(forceFullCollection: true),
            _ =>
            {
                sizes.Add((PairsInMemory(engine), engine.Live.UserCount - engine.Live.FreeUserSlots, engine.GetStatus().Events));
                return Task.CompletedTask;
            })
        {
            // One training a period, at the same moment of each: the users known saw-tooth with the trainings (each
            // releases the dead), and every period's median memory then sees the same part of the tooth.
            Period = TimeSpan.FromSeconds(20),
            WriteShare = 0.5,
            NewUserShare = 0.8,
            CatalogEvery = TimeSpan.FromSeconds(2),
            TrainEvery = TimeSpan.FromSeconds(20),
        };

        var periods = await new Soak(client, settings).RunAsync(ct);

        // The heap is checked below on the lower of the last two periods: one period's sample can be caught high by a
        // transient as large as a model version (2,000 users x 128 factors: 1 MiB of an 8 MiB heap, old and new both
        // referenced during a swap), while a leak raises both.
        var verdict = SoakVerdict.Of(periods, Warmup, maxMemoryGrowth: double.PositiveInfinity, maxP99Growth: null);
        var heapGrowth = 100.0 * (Math.Min(periods[^1].Memory, periods[^2].Memory) - periods[Warmup].Memory) / periods[Warmup].Memory;
        var (_, warmUsers, warmEvents) = sizes[Warmup - 1];
        var (_, users, events) = sizes[^1];
        var figures = string.Join("\n", periods.Select((p, i) => $"{p} pairs in memory={sizes[i].Pairs} users known={sizes[i].Users} events={sizes[i].Events}"))
            + $"\nslots reused={engine.Live.UserSlotsReused}, heap growth after the warm-up (lower of the last two periods)={heapGrowth:F1}%\n{verdict}";
        TestContext.Current.SendDiagnosticMessage(figures);
        Assert.True(verdict.Failures.Count == 0, figures);
        Assert.True(heapGrowth < MaxHeapGrowth, $"the heap grows:\n{figures}");
        Assert.True(users <= warmUsers * 1.25, $"the id space grows:\n{figures}");
        Assert.True(events <= warmEvents * 1.25, $"the live data grows:\n{figures}");
        Assert.True(engine.Live.UserSlotsReused > 0, $"no slot was reused:\n{figures}");
        Assert.True(periods.Sum(p => p.Events) > 5000, "the load wrote too little to show a leak");
    }

    /// <summary>300 items in 10 categories; 200 users with 10 views each, spread over the last TTL; a first model.</summary>
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
            Timestamp = DateTimeOffset.UtcNow - (s_feedbackTtl * random.NextDouble()),
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
