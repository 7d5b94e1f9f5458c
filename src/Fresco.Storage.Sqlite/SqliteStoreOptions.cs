using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// What <see cref="SqliteStore"/> reports through: failures it recovers from by itself (WAL checkpoints) never fail a
/// call, so they are logged and counted instead. Read once by <see cref="SqliteStore.OpenAsync(string, SqliteStoreOptions, CancellationToken)"/>.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Where checkpoint failures are logged. Default none.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Creates the meter of the store's instruments (the host's factory); null: a meter owned by the store.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
