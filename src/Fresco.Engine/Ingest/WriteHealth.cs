using System.Diagnostics.Metrics;
using Fresco.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Whether the store can take writes: a write failing with <see cref="StoreFullException"/> marks it full (logged as
/// an error once, counted in <c>store.write_failures</c>, gauge <c>store.full</c> = 1), the next write that
/// succeeds marks it writable again (logged). Reads are unaffected. Thread-safe.
/// </summary>
internal sealed class WriteHealth
{
    private readonly ILogger _logger;
    private readonly Counter<long> _failures;
    private int _full; // 1 while full; flipped with Interlocked so that each change is logged once

    public WriteHealth(Meter meter, ILogger logger)
    {
        _logger = logger;
        _failures = meter.CreateCounter<long>("store.write_failures", "{write}", "Writes refused because the store's disk is full.");
        meter.CreateObservableGauge("store.full", () => Volatile.Read(ref _full), null, "1 while the last write failed for lack of disk space, else 0.");
    }

    public bool IsFull => Volatile.Read(ref _full) == 1;

    /// <summary>Awaits <paramref name="write"/>, noting whether the store took it.</summary>
    public async Task<T> TrackAsync<T>(Task<T> write)
    {
        try
        {
            var result = await write.ConfigureAwait(false);
            if (Volatile.Read(ref _full) == 1 && Interlocked.Exchange(ref _full, 0) == 1)
            {
                EngineLog.StoreWritable(_logger);
            }
            return result;
        }
        catch (StoreFullException e)
        {
            _failures.Add(1);
            if (Interlocked.Exchange(ref _full, 1) == 0)
            {
                EngineLog.StoreFull(_logger, e);
            }
            throw;
        }
    }
}
