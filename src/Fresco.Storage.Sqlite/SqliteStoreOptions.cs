using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// What <see cref="SqliteStore"/> reports through: failures it recovers from by itself (WAL checkpoints) never fail a
/// call, so they are logged and counted instead; and how much memory its page cache may hold. Read once by <see cref="SqliteStore.OpenAsync(string, SqliteStoreOptions, CancellationToken)"/>.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Where checkpoint failures are logged. Default none.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// The writer connection's page cache (SQLite's <c>cache_size</c>), in MiB: the store's largest share of native memory,
    /// filled as the database is read and written and then held. 1 to 65,536; default 64.
    /// </summary>
    public int CacheMiB { get; set; } = DefaultCacheMiB;

    /// <summary>The default of <see cref="CacheMiB"/>.</summary>
    public const int DefaultCacheMiB = 64;

    /// <summary>The largest <see cref="CacheMiB"/>: 64 GiB.</summary>
    public const int MaxCacheMiB = 65536;

    /// <summary>Creates the meter of the store's instruments (the host's factory); null: a meter owned by the store.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
