using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Fresco.LoadTest;

/// <summary>
/// A long mixed load in a steady state, open loop at <see cref="SoakSettings.Rate"/> operations a second:
/// recommendations for and feedback from the active users, feedback from new users, a catalog change (a new item, and
/// once the run has added <see cref="SoakSettings.NewItemsKept"/>, a delete of the oldest of them) every
/// <see cref="SoakSettings.CatalogEvery"/>, and POST /api/models/train every <see cref="SoakSettings.TrainEvery"/>. The
/// active users are as many as the server listed at the start: a new user, once written, takes the place of the one
/// who became active longest ago, who goes quiet (with a feedback TTL, their rows then expire and their slot is freed). Per period (a minute by default): recommend
/// latencies, writes, answers that were not 2xx, and the memory <see cref="SoakSettings.Memory"/> reads (the median
/// of a sample every 5 s). Used by <c>soak</c> (RSS of the server process) and by the server tests' short soak
/// (the managed heap). Not thread-safe: one run at a time.
/// </summary>
internal sealed class Soak(ApiClient client, SoakSettings settings)
{
    private readonly Random _random = new(11);
    private readonly List<string> _users = [];
    private int _nextQuiet;
    private readonly List<string> _items = [];
    private readonly Queue<string> _added = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _written = new();
    private int _newUsers;
    private int _newItems;
    private long _errors;
    private System.Collections.Concurrent.ConcurrentDictionary<int, int> _errorStatuses = new();
    private long _writes;

    public async Task<IReadOnlyList<SoakPeriod>> RunAsync(CancellationToken cancellationToken)
    {
        _users.AddRange(await client.ListUsersAsync(10_000).ConfigureAwait(false));
        _items.AddRange(await client.ListItemsAsync(10_000).ConfigureAwait(false));
        if (_items.Count == 0)
        {
            throw new InvalidOperationException("the server has no items: import data first");
        }
        var periods = new List<SoakPeriod>();
        var interval = Stopwatch.Frequency / settings.Rate;
        var periodTicks = (long)(settings.Period.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var nextCatalog = start;
        var nextTrain = start + (long)(settings.TrainEvery.TotalSeconds * Stopwatch.Frequency);
        var nextSample = start;
        var pending = new List<Task>();
        var latencies = new Latencies("GET /api/recommend/{user}");
        var memory = new List<long>();
        var periodStart = start;
        for (long i = 0; ; i++)
        {
            var scheduled = start + (long)(i * interval);
            if (scheduled >= end)
            {
                break;
            }
            await RequestTiming.WaitUntilAsync(scheduled, Stopwatch.GetTimestamp, RequestTiming.Sleep).ConfigureAwait(false);
            if (scheduled >= nextSample)
            {
                memory.Add(settings.Memory());
                nextSample += 5 * Stopwatch.Frequency;
            }
            if (scheduled - periodStart >= periodTicks)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                pending.Clear();
                periods.Add(Close(periods.Count + 1, latencies, memory));
                await settings.Report(periods[^1]).ConfigureAwait(false);
                latencies = new Latencies(latencies.Name);
                memory = [settings.Memory()];
                periodStart = scheduled;
            }
            if (scheduled >= nextCatalog)
            {
                nextCatalog += (long)(settings.CatalogEvery.TotalSeconds * Stopwatch.Frequency);
                pending.Add(ChangeCatalogAsync(cancellationToken));
            }
            if (scheduled >= nextTrain)
            {
                nextTrain += (long)(settings.TrainEvery.TotalSeconds * Stopwatch.Frequency);
                pending.Add(CountAsync(client.SendAsync(HttpMethod.Post, "api/models/train", null, cancellationToken)));
            }
            while (_written.TryDequeue(out var user))
            {
                // A new user is read only once their first write was acknowledged (else: 404).
                if (_users.Count == 0)
                {
                    _users.Add(user);
                }
                else
                {
                    _users[_nextQuiet] = user;
                    _nextQuiet = (_nextQuiet + 1) % _users.Count;
                }
            }
            pending.Add(_random.NextDouble() < settings.WriteShare ? WriteAsync(cancellationToken) : ReadAsync(scheduled, latencies, cancellationToken));
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
        periods.Add(Close(periods.Count + 1, latencies, memory));
        await settings.Report(periods[^1]).ConfigureAwait(false);
        return periods;
    }

    private SoakPeriod Close(int number, Latencies latencies, List<long> memory)
    {
        memory.Sort();
        return new SoakPeriod(number, latencies.Count, latencies.Quantile(0.5), latencies.Quantile(0.99), Interlocked.Exchange(ref _writes, 0),
            Interlocked.Exchange(ref _errors, 0), memory.Count == 0 ? 0 : memory[memory.Count / 2])
        {
            NewUsers = _newUsers,
            ErrorStatuses = string.Join(' ', Interlocked.Exchange(ref _errorStatuses, new()).OrderBy(e => e.Key)
                .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}x{e.Value}"))),
        };
    }

    /// <summary>Picks on the caller's (the schedule's) thread, then sends on the thread pool.</summary>
    private async Task ReadAsync(long scheduled, Latencies latencies, CancellationToken cancellationToken)
    {
        var user = _users[_random.Next(_users.Count)];
        await Task.Yield();
        var status = await client.GetStatusAsync($"api/recommend/{Uri.EscapeDataString(user)}?n=10", cancellationToken).ConfigureAwait(false);
        latencies.Record(Stopwatch.GetTimestamp() - scheduled, status == 200);
        Count(status);
    }

    private Task WriteAsync(CancellationToken cancellationToken)
    {
        var isNew = _users.Count == 0 || _random.NextDouble() < settings.NewUserShare;
        var user = isNew ? "soak-u" + (++_newUsers).ToString(CultureInfo.InvariantCulture) : _users[_random.Next(_users.Count)];
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 1 + _random.Next(5)).Select(_ => new
        {
            FeedbackType = _random.NextDouble() < 0.1 ? "purchase" : "view",
            UserId = user,
            ItemId = _items[_random.Next(_items.Count)],
            Value = 1.0,
            Timestamp = now,
        }).ToArray();
        Interlocked.Add(ref _writes, events.Length);
        return WriteAsync(JsonSerializer.Serialize(events), isNew ? user : null, cancellationToken);
    }

    private async Task WriteAsync(string json, string? newUser, CancellationToken cancellationToken)
    {
        var status = await client.SendAsync(HttpMethod.Post, "api/feedback", json, cancellationToken).ConfigureAwait(false);
        Count(status);
        if (newUser is not null && status is >= 200 and < 300)
        {
            _written.Enqueue(newUser);
        }
    }

    /// <summary>Changes the lists on the caller's (the schedule's) thread, then sends: a new item, and a delete of the oldest the run added once it keeps enough.</summary>
    private async Task ChangeCatalogAsync(CancellationToken cancellationToken)
    {
        var item = "soak-i" + (++_newItems).ToString(CultureInfo.InvariantCulture);
        var json = JsonSerializer.Serialize(new
        {
            ItemId = item,
            IsHidden = false,
            Categories = new[] { "soak" },
            Labels = Array.Empty<string>(),
            Comment = "",
            Timestamp = DateTimeOffset.UtcNow,
        });
        _added.Enqueue(item);
        _items.Add(item);
        var old = _added.Count > settings.NewItemsKept ? _added.Dequeue() : null;
        if (old is not null)
        {
            _items.Remove(old);
        }
        Count(await client.SendAsync(HttpMethod.Post, "api/item", json, cancellationToken).ConfigureAwait(false));
        if (old is not null)
        {
            Count(await client.SendAsync(HttpMethod.Delete, "api/item/" + Uri.EscapeDataString(old), null, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task CountAsync(Task<int> sending) => Count(await sending.ConfigureAwait(false));

    private void Count(int status)
    {
        if (status is < 200 or >= 300)
        {
            Interlocked.Increment(ref _errors);
            _errorStatuses.AddOrUpdate(status, 1, static (_, n) => n + 1); // 0: no answer (timeout, refused)
        }
    }
}

/// <summary>What a <see cref="Soak"/> runs: the mix, the schedule, how memory is read and where each period is reported (awaited before the next). Immutable.</summary>
internal sealed record SoakSettings(TimeSpan Duration, double Rate, Func<long> Memory, Func<SoakPeriod, Task> Report)
{
    public TimeSpan Period { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Share of operations that write feedback (1 to 5 events); the rest read recommendations.</summary>
    public double WriteShare { get; init; } = 0.25;

    /// <summary>Share of writes from a user the server has never seen (each sends an active user quiet).</summary>
    public double NewUserShare { get; init; } = 0.3;

    public TimeSpan CatalogEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Items the run added that stay in the catalog: each later change deletes the oldest, so the catalog stays flat.</summary>
    public int NewItemsKept { get; init; } = 12;

    public TimeSpan TrainEvery { get; init; } = TimeSpan.FromMinutes(3);
}

/// <summary>One period of a soak: recommend count and percentiles (ms), events written, non-2xx answers, median memory (bytes). Immutable.</summary>
internal sealed record SoakPeriod(int Number, int Recommends, double P50, double P99, long Events, long Errors, long Memory)
{
    /// <summary>New users written since the soak began, at the end of this period.</summary>
    public int NewUsers { get; init; }

    /// <summary>The non-2xx answers by status, e.g. "503x40 0x2" (0: no answer), empty when there were none.</summary>
    public string ErrorStatuses { get; init; } = "";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"period {Number,3}: recommend n={Recommends,7} p50={P50,7:F2} ms p99={P99,7:F2} ms  events={Events,7}  errors={Errors,4}{(ErrorStatuses.Length == 0 ? "" : " (" + ErrorStatuses + ")")}  new users={NewUsers,6}  memory={Memory / 1048576.0,8:F1} MiB");
}
