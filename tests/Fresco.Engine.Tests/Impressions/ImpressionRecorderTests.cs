using Fresco.Engine.Impressions;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Fresco.Engine.Tests.Impressions;

/// <summary>
/// The recorder's queue: bounded, shed and counted when full, never waited for; written in batches gathered for the
/// flush interval, and at once on shutdown.
/// </summary>
public sealed class ImpressionRecorderTests
{
    /// <summary>An impression store whose writes wait at a gate until the test opens it.</summary>
    private sealed class GatedStore : IImpressionStore
    {
        private readonly InMemoryStore _inner = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The size of each write, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<int> Writes { get; } = new();

        public async Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken cancellationToken = default)
        {
            Writes.Enqueue(impressions.Count);
            Entered.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            await _inner.InsertImpressionsAsync(impressions, cancellationToken);
        }

        public Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default) => _inner.GetImpressionAsync(id, cancellationToken);

        public Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default) =>
            _inner.ListRecentImpressionsAsync(since, limit, cancellationToken);

        public Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to,
            CancellationToken cancellationToken = default) => _inner.FindLastShownAsync(userId, itemId, from, to, cancellationToken);

        public Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default) =>
            _inner.DeleteImpressionsBeforeAsync(cutoff, max, cancellationToken);

        public Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken = default) =>
            _inner.InsertAttributionsAsync(attributions, cancellationToken);

        public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default) =>
            _inner.ListAttributionsAsync(recommId, cancellationToken);

        public Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken cancellationToken = default) =>
            _inner.GetExperimentOutcomesAsync(experiment, cancellationToken);
    }

    [Fact]
    public async Task AFullQueueShedsAndCountsWithoutWaiting()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new GatedStore();
        var options = new ImpressionOptions { QueueCapacity = 2, BatchSize = 1, FlushInterval = TimeSpan.Zero };
        using var metrics = new EngineMetrics(() => 0, () => 0, () => 0, () => 0, () => 0);
        var live = new LiveInteractions(new LiveOptions());
        await using var recorder = new ImpressionRecorder(store, live, new ShownIndex(options, TimeSpan.FromHours(24)), options, null,
            TimeProvider.System, metrics, NullLogger.Instance);
        recorder.Start();
        IReadOnlyList<ScoredId> list = [new("i1", 1, "test")];

        var first = recorder.Record(new ImpressionRequest("u", null, list), null);
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct); // the writer holds the first, blocked
        var started = TimeProvider.System.GetTimestamp();
        var ids = Enumerable.Range(0, 5).Select(_ => recorder.Record(new ImpressionRequest("u", null, list), null)).ToArray();
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5)); // a gross bound: recording never waits for the store

        var status = recorder.Status;
        Assert.Equal((6L, 3L, 2), (status.Recorded, status.Shed, status.QueueDepth)); // two queued, three shed
        Assert.Equal(6, ids.Append(first).Distinct().Count());

        store.Gate.SetResult();
        for (var i = 0; i < 500 && recorder.Status.Stored < 3; i++)
        {
            await Task.Delay(20, ct);
        }
        Assert.Equal((3L, 3L, 0L), (recorder.Status.Stored, recorder.Status.Shed, recorder.Status.Failed));
        Assert.NotNull(await store.GetImpressionAsync(first, ct));
        Assert.NotNull(await store.GetImpressionAsync(ids[1], ct));
        Assert.Null(await store.GetImpressionAsync(ids[4], ct));
    }

    private static ImpressionRecorder Recorder(IImpressionStore store, ImpressionOptions options, EngineMetrics metrics) =>
        new(store, new LiveInteractions(new LiveOptions()), new ShownIndex(options, TimeSpan.FromHours(24)), options, null,
            TimeProvider.System, metrics, NullLogger.Instance);

    [Fact]
    public async Task ImpressionsArrivingWithinTheFlushIntervalAreStoredInOneWrite()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new GatedStore();
        store.Gate.SetResult();
        using var metrics = new EngineMetrics(() => 0, () => 0, () => 0, () => 0, () => 0);
        await using var recorder = Recorder(store, new ImpressionOptions { FlushInterval = TimeSpan.FromSeconds(3) }, metrics);
        recorder.Start();
        IReadOnlyList<ScoredId> list = [new("i1", 1, "test")];

        recorder.Record(new ImpressionRequest("u0", null, list), null);
        await Task.Delay(100, ct); // at once (FlushInterval 0), the first is written alone by now
        Assert.Equal(0, recorder.Status.Stored);
        for (var i = 1; i < 5; i++)
        {
            recorder.Record(new ImpressionRequest("u" + i, null, list), null);
        }
        for (var i = 0; i < 500 && recorder.Status.Stored < 5; i++)
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal([5], store.Writes);
    }

    [Fact]
    public async Task StoppingWritesWhatIsQueuedWithoutWaitingForTheFlushInterval()
    {
        var store = new GatedStore();
        store.Gate.SetResult();
        using var metrics = new EngineMetrics(() => 0, () => 0, () => 0, () => 0, () => 0);
        var recorder = Recorder(store, new ImpressionOptions { FlushInterval = TimeSpan.FromSeconds(10) }, metrics);
        recorder.Start();
        IReadOnlyList<ScoredId> list = [new("i1", 1, "test")];
        var ids = Enumerable.Range(0, 3).Select(i => recorder.Record(new ImpressionRequest("u" + i, null, list), null)).ToArray();

        var started = TimeProvider.System.GetTimestamp();
        await recorder.DisposeAsync();

        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5)); // the interval is 10 s
        Assert.Equal(3, store.Writes.Sum());
        foreach (var id in ids)
        {
            Assert.NotNull(await store.GetImpressionAsync(id, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void AFlushIntervalOutOfRangeIsRefusedAtStart()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImpressionOptions { FlushInterval = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImpressionOptions { FlushInterval = TimeSpan.FromSeconds(11) }.Validate());
    }
}
