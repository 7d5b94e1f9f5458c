using System.Threading.Channels;
using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Impressions;

/// <summary>
/// Records the answers the engine gave, off the request path: <see cref="Record"/> names the answer (a version-7 GUID:
/// unique and ordered by time), notes what the user was shown in the <see cref="ShownIndex"/> at once (so the next
/// request rotates), and queues the impression without waiting; when the bounded queue is full the impression is shed
/// and counted, never waited for. One background loop drains the queue into the store in batches, each gathered for up to
/// <see cref="ImpressionOptions.FlushInterval"/> after its first impression (retrying a failed batch a few times, then
/// counting it as failed) and, when configured, writes the items shown as "read" feedback.
/// Thread-safe: <see cref="Record"/> may be called from any thread; the loop is the queue's one reader.
/// </summary>
internal sealed class ImpressionRecorder : IAsyncDisposable
{
    private const int Attempts = 5;

    private readonly Channel<Impression> _queue;
    private readonly IImpressionStore _store;
    private readonly LiveInteractions _live;
    private readonly ShownIndex _shown;
    private readonly ImpressionOptions _options;
    private readonly Func<IReadOnlyList<Feedback>, Task>? _writeRead;
    private readonly TimeProvider _time;
    private readonly EngineMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _recorded;
    private long _stored;
    private long _shed;
    private long _failed;
    private int _disposed;

    /// <param name="writeRead">Writes the "read" feedback of shown items (null when <see cref="ImpressionOptions.ReadFeedbackType"/> is not set).</param>
    public ImpressionRecorder(IImpressionStore store, LiveInteractions live, ShownIndex shown, ImpressionOptions options,
        Func<IReadOnlyList<Feedback>, Task>? writeRead, TimeProvider time, EngineMetrics metrics, ILogger logger)
    {
        _store = store;
        _live = live;
        _shown = shown;
        _options = options;
        _writeRead = options.ReadFeedbackType is null ? null : writeRead;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<Impression>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the caller sheds, nobody waits
        });
        metrics.Meter.CreateObservableGauge("impressions.queue_depth", () => QueueDepth, "{impression}",
            "Impressions waiting for the background writer.");
    }

    public ShownIndex Shown => _shown;

    public ImpressionStatus Status => new(Interlocked.Read(ref _recorded), Interlocked.Read(ref _stored), Interlocked.Read(ref _shed),
        Interlocked.Read(ref _failed), QueueDepth, _shown.Users);

    private int QueueDepth => _queue.Reader.Count;

    /// <summary>Starts the background writer.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Fills the shown index with the store's impressions of the window (before any request is served): the newest
    /// <paramref name="limit"/> at most, applied oldest first so that the newest showing of an item wins.
    /// </summary>
    public async Task LoadAsync(int limit, CancellationToken cancellationToken)
    {
        var since = _time.GetUtcNow() - _shown.Window;
        var recent = await _store.ListRecentImpressionsAsync(since, limit, cancellationToken).ConfigureAwait(false);
        for (var i = recent.Count - 1; i >= 0; i--)
        {
            var impression = recent[i];
            var items = new List<int>(impression.ItemIds.Count);
            foreach (var id in impression.ItemIds)
            {
                if (_live.TryGetItemIndex(id, out var item))
                {
                    items.Add(item);
                }
            }
            _shown.Record(impression.UserId!, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items), impression.Time.UtcTicks, impression.Id);
        }
    }

    /// <summary>
    /// Names the answer, notes what the user was shown, and queues the impression (or sheds it when the queue is full).
    /// Never blocks. <paramref name="scenarioVersion"/> is the version of the scenario that shaped the answer.
    /// </summary>
    public string Record(ImpressionRequest request, long? scenarioVersion)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Items);
        var now = _time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString("N");
        var items = request.Items;
        var ids = new string[items.Count];
        Span<int> indices = items.Count <= 128 ? stackalloc int[items.Count] : new int[items.Count];
        var known = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = items[i].Id;
            if (_live.TryGetItemIndex(ids[i], out var item))
            {
                indices[known++] = item;
            }
        }
        if (request.UserId is { } user)
        {
            _shown.Record(user, indices[..known], now.UtcTicks, id);
        }
        var scenario = string.IsNullOrEmpty(request.Scenario) ? null : request.Scenario;
        var impression = new Impression(id, request.UserId, scenario, scenario is null ? null : scenarioVersion, request.Experiment,
            request.Variant, ids, now);
        Interlocked.Increment(ref _recorded);
        if (!_queue.Writer.TryWrite(impression))
        {
            Interlocked.Increment(ref _shed);
            _metrics.ImpressionShed();
        }
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.Writer.TryComplete();
        _completing.TrySetResult(); // no more gathering: what is queued is written at once
        // What is queued is written before the engine stops, unless the store does not take it within a few seconds.
        _stopping.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Impression>(_options.BatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
        {
            if (_options.FlushInterval > TimeSpan.Zero && reader.Count < _options.BatchSize && !_completing.Task.IsCompleted)
            {
                // The system clock, not the engine's TimeProvider: this only batches writes, and a test's manual clock
                // would hold them forever.
                await Task.WhenAny(Task.Delay(_options.FlushInterval, _stopping.Token), _completing.Task).ConfigureAwait(false);
            }
            while (batch.Count < _options.BatchSize && reader.TryRead(out var impression))
            {
                batch.Add(impression);
            }
            await WriteAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Impression> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.InsertImpressionsAsync(batch, _stopping.Token).ConfigureAwait(false);
                Interlocked.Add(ref _stored, batch.Count);
                _metrics.ImpressionsStored(batch.Count);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == Attempts)
                {
                    Interlocked.Add(ref _failed, batch.Count);
                    _metrics.ImpressionsFailed(batch.Count);
                    EngineLog.ImpressionsLost(_logger, batch.Count, e);
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), _stopping.Token).ConfigureAwait(false);
            }
        }
        if (_writeRead is not null)
        {
            await WriteReadAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>The items shown to known users, as feedback of the read type (value 0, at the impression's time).</summary>
    private async Task WriteReadAsync(List<Impression> batch)
    {
        var type = _options.ReadFeedbackType!;
        var rows = new List<Feedback>();
        foreach (var impression in batch)
        {
            if (impression.UserId is { } user)
            {
                foreach (var item in impression.ItemIds)
                {
                    rows.Add(new Feedback(type, user, item, 0, impression.Time));
                }
            }
        }
        if (rows.Count == 0)
        {
            return;
        }
        try
        {
            await _writeRead!(rows).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            EngineLog.ReadFeedbackFailed(_logger, rows.Count, e);
        }
    }
}
