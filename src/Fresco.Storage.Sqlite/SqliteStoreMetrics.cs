using System.Diagnostics.Metrics;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// The store's instruments on the engine's meter (<c>Fresco.Engine</c>, so they export beside the engine's as
/// <c>fresco_engine_store_*</c>): WAL checkpoints that failed, by mode (<c>passive</c>: the checkpoint thread,
/// <c>restart</c>: the writer's reset of an oversized WAL), and the memory SQLite holds (page caches above all: up to
/// 64 MiB per connection, see <c>SqliteSchema</c>), so that a resident-memory figure can be taken apart.
/// Thread-safe (instruments are).
/// </summary>
internal sealed class SqliteStoreMetrics : IDisposable
{
    public const string MeterName = Fresco.Engine.EngineMetrics.MeterName;

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _checkpointFailures;

    public SqliteStoreMetrics(IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        _checkpointFailures = Meter.CreateCounter<long>("store.checkpoint_failures", "{checkpoint}",
            "WAL checkpoints that failed (retried after the next commit; committed data stays in the WAL).");
        Meter.CreateObservableGauge("store.sqlite_memory", static () => SQLitePCL.raw.sqlite3_memory_used(), "By",
            "Bytes SQLite's allocator holds in this process (page caches, statements), over every open database.");
    }

    public Meter Meter { get; }

    public void CheckpointFailed(string mode) => _checkpointFailures.Add(1, new KeyValuePair<string, object?>("mode", mode));

    public void Dispose() => _ownedMeter?.Dispose();
}
