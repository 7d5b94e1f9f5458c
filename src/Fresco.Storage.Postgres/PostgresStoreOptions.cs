using Microsoft.Extensions.Logging;

namespace Fresco.Storage.Postgres;

/// <summary>
/// Settings of <see cref="PostgresStore"/>. Mutable until handed to <see cref="PostgresStore.OpenAsync"/>, which validates
/// it and keeps its own copy of the values.
/// </summary>
public sealed class PostgresStoreOptions
{
    /// <summary>Monthly feedback partitions kept ready after the current month. 0 to 120; default 3.</summary>
    public int PartitionMonthsAhead { get; set; } = 3;

    /// <summary>
    /// How far back (months before the current one) a write creates the partition of its month; older feedback goes to the
    /// default partition. 0 to 1200; default 24.
    /// </summary>
    public int PartitionMonthsBack { get; set; } = 24;

    /// <summary>
    /// Feedback older than this is dropped: whole monthly partitions once their last instant is older, and rows of the
    /// default partition. Null (the default) keeps feedback forever. At least one minute when set.
    /// </summary>
    public TimeSpan? FeedbackTtl { get; set; }

    /// <summary>How often partitions ahead are created and expired ones dropped. At least one second; default one hour.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest partition DDL waits for a table lock (long readers hold it) before giving up until the next try; the
    /// write then goes to the default partition. At least 10 ms; default one second.
    /// </summary>
    public TimeSpan PartitionLockTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The node id written with each change-log row (see <see cref="PostgresStore.ReadAsync"/>), so that a node skips its
    /// own changes. Default: the machine name and process id.
    /// </summary>
    public string Node { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// How long change-log rows are kept for nodes catching up (trimmed by the maintenance loop). A node that cannot read
    /// the log for longer must be restarted. At least one minute; default one hour.
    /// </summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The clock that places "now" for partition windows and the TTL. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where partition maintenance reports failures (they never fail a write). Default none.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (PartitionMonthsAhead is < 0 or > 120)
        {
            throw new ArgumentOutOfRangeException(nameof(PartitionMonthsAhead), PartitionMonthsAhead, "PartitionMonthsAhead must be 0 to 120.");
        }

        if (PartitionMonthsBack is < 0 or > 1200)
        {
            throw new ArgumentOutOfRangeException(nameof(PartitionMonthsBack), PartitionMonthsBack, "PartitionMonthsBack must be 0 to 1200.");
        }

        if (FeedbackTtl is { } ttl && ttl < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(FeedbackTtl), ttl, "FeedbackTtl must be at least one minute (or null).");
        }

        if (MaintenanceInterval < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaintenanceInterval), MaintenanceInterval, "MaintenanceInterval must be at least one second.");
        }

        if (PartitionLockTimeout < TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(PartitionLockTimeout), PartitionLockTimeout, "PartitionLockTimeout must be at least 10 ms.");
        }

        ArgumentException.ThrowIfNullOrEmpty(Node);
        if (ChangeRetention < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ChangeRetention), ChangeRetention, "ChangeRetention must be at least one minute.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    internal PostgresStoreOptions Copy() => (PostgresStoreOptions)MemberwiseClone();
}
