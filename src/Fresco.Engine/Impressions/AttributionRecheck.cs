using System.Threading.Channels;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Impressions;

/// <summary>
/// The second look of last-touch attribution on a cluster node: feedback that neither this node's memory nor the stored
/// impressions credited when it was written waits <see cref="AttributionOptions.Recheck"/> on a bounded queue, then is
/// looked up in the store again and, when an answer of another node is found by then, its attribution is stored. Why:
/// impressions are written in batches off the request path, so a click sent to another node right after the answer can
/// arrive before the answer's impression is committed. The queue sheds and counts when full; on shutdown what waits is
/// looked up at once. Thread-safe: <see cref="Enqueue"/> from any thread; one background loop reads the queue.
/// </summary>
internal sealed class AttributionRecheck : IAsyncDisposable
{
    private const int Capacity = 10_000;

    private readonly Channel<(Feedback Feedback, DateTimeOffset Due)> _queue = Channel.CreateBounded<(Feedback, DateTimeOffset)>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IImpressionStore _store;
    private readonly AttributionOptions _options;
    private readonly TimeProvider _time;
    private readonly EngineMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _hurry = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public AttributionRecheck(IImpressionStore store, AttributionOptions options, TimeProvider time, EngineMetrics metrics, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Starts the background loop.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Queues the feedback for a second look after <see cref="AttributionOptions.Recheck"/>; never blocks (sheds when full).</summary>
    public void Enqueue(Feedback feedback)
    {
        if (!_queue.Writer.TryWrite((feedback, _time.GetUtcNow() + _options.Recheck)))
        {
            _metrics.AttributionRecheck("shed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await _hurry.CancelAsync().ConfigureAwait(false); // what waits is looked up now
        _stopping.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _hurry.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Feedback>();
        while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
        {
            // Due times follow queue order (one delay for all): wait for the first, then take every one due by then.
            if (!reader.TryPeek(out var first))
            {
                continue;
            }
            await WaitUntilAsync(first.Due).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            while (reader.TryPeek(out var next) && (next.Due <= now || _hurry.IsCancellationRequested) && reader.TryRead(out next))
            {
                batch.Add(next.Feedback);
            }
            await LookUpAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset due)
    {
        var wait = due - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await Task.Delay(wait, _time, _hurry.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_hurry.IsCancellationRequested)
        {
        }
    }

    private async Task LookUpAsync(List<Feedback> batch)
    {
        try
        {
            List<Attribution> credited = [];
            foreach (var feedback in batch)
            {
                if (await FeedbackAttribution.FromRecordAsync(_store, feedback, _options, _stopping.Token).ConfigureAwait(false) is { } found)
                {
                    credited.Add(found);
                }
            }
            if (credited.Count > 0)
            {
                await _store.InsertAttributionsAsync(credited, _stopping.Token).ConfigureAwait(false);
            }
            _metrics.AttributionRecheck("credited", credited.Count);
            _metrics.AttributionRecheck("uncredited", batch.Count - credited.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics.AttributionRecheck("failed", batch.Count);
            EngineLog.RecheckFailed(_logger, batch.Count, e);
        }
    }
}
