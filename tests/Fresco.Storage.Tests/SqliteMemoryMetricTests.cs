using System.Diagnostics.Metrics;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Storage.Tests;

/// <summary>Runs alone: SQLite's memory figure is process-wide, so another test closing a store would move it.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ProcessWideSqliteMemory;

[Collection(nameof(ProcessWideSqliteMemory))]
public sealed class SqliteMemoryMetricTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fresco-sqlite-memory-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task SqliteMemoryIsReportedAndGrowsWithThePageCache()
    {
        using var meters = new TestMeterFactory();
        using var memory = new SqliteMemoryGauge(meters);
        await using var store = await SqliteStore.OpenAsync(_directory, new SqliteStoreOptions { MeterFactory = meters }, Ct);
        var before = memory.Read();
        Assert.True(before > 0, "no SQLite memory reported");
        // 20,000 rows of about 60 bytes: over a megabyte of table and index pages, kept in the writer's page cache.
        var rows = Enumerable.Range(0, 20_000)
            .Select(i => new Feedback("like", "user-" + i, "item-" + (i % 97), 1, DateTimeOffset.UnixEpoch.AddSeconds(i)))
            .ToArray();
        await store.InsertFeedbackAsync(rows, overwrite: false, cancellationToken: Ct);
        var after = memory.Read();
        Assert.True(after > before + (1 << 20), $"SQLite memory went from {before} to {after} bytes only");
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(64, true)]
    public async Task TheWritersPageCacheIsBoundedByCacheMiB(int cacheMiB, bool growsPastTheSmallBound)
    {
        using var meters = new TestMeterFactory();
        using var memory = new SqliteMemoryGauge(meters);
        await using var store = await SqliteStore.OpenAsync(_directory, new SqliteStoreOptions { MeterFactory = meters, CacheMiB = cacheMiB }, Ct);
        var before = memory.Read();
        // 100,000 rows with their four index entries: about 15 MB of pages, all passing through the writer's cache.
        for (var batch = 0; batch < 10; batch++)
        {
            var rows = Enumerable.Range(batch * 10_000, 10_000)
                .Select(i => new Feedback("like", "user-" + i, "item-" + (i % 997), 1, DateTimeOffset.UnixEpoch.AddSeconds(i)))
                .ToArray();
            await store.InsertFeedbackAsync(rows, overwrite: false, cancellationToken: Ct);
        }

        var grown = memory.Read() - before;
        // The bound plus slack for the allocator's overhead and the statements' memory.
        Assert.Equal(growsPastTheSmallBound, grown > (4L << 20));
    }

    /// <summary>The store's <c>store.sqlite_memory</c> gauge, read on demand.</summary>
    private sealed class SqliteMemoryGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _value;

        public SqliteMemoryGauge(TestMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (meters.Owns(instrument.Meter) && instrument.Name == "store.sqlite_memory")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _value = value);
            _listener.Start();
        }

        public long Read()
        {
            _listener.RecordObservableInstruments();
            return _value;
        }

        public void Dispose() => _listener.Dispose();
    }
}
