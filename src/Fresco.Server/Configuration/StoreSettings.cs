using Fresco.Engine.Ingest;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;

namespace Fresco.Server.Configuration;

/// <summary>
/// The <c>Store</c> section: which store the server runs on, how long feedback, items and impressions live, and SQLite's page cache. Empty (the default):
/// the embedded SQLite store in Server:DataDir. <see cref="Postgres"/> set: PostgreSQL, the store of a cluster. Bound and
/// validated once at start-up.
/// </summary>
public sealed class StoreSettings
{
    public const string SectionName = "Store";

    /// <summary>An Npgsql connection string ("Host=...;Database=...;Username=...;Password=..."); null: SQLite.</summary>
    public string? Postgres { get; set; }

    /// <summary>
    /// Feedback dated longer ago than this is deleted, on every store (PostgreSQL also drops whole expired monthly
    /// partitions), and leaves the live state. Null keeps it forever. At least one hour.
    /// </summary>
    public TimeSpan? FeedbackTtl { get; set; }

    /// <summary>Items dated longer ago than this are no longer recommended (they stay stored). Null: never. At least one hour.</summary>
    public TimeSpan? ItemTtl { get; set; }

    /// <summary>
    /// Impressions and attributions dated longer ago than this are deleted (experiment results then no longer count them).
    /// Null keeps them forever. At least one hour and at least Attribution:Window.
    /// </summary>
    public TimeSpan? ImpressionTtl { get; set; }

    /// <summary>How often expired feedback and items are swept. At least one second; default one minute.</summary>
    public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Expired feedback rows deleted per store write. 1 to 100,000; default 1,000.</summary>
    public int ExpiryBatch { get; set; } = 1000;

    /// <summary>
    /// SQLite: the page cache of the store's writer connection, in MiB (the store's largest share of native memory; it
    /// fills as the database is used and is then held). 1 to 65,536; default 64.
    /// </summary>
    public int SqliteCacheMiB { get; set; } = SqliteStoreOptions.DefaultCacheMiB;

    /// <summary>PostgreSQL: how long the change log keeps changes for nodes catching up. Default one hour.</summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromHours(1);

    public StoreSettings Validate()
    {
        if (Postgres is { Length: 0 })
        {
            Postgres = null;
        }
        if (ChangeRetention < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException("Store:ChangeRetention", ChangeRetention, "Store:ChangeRetention must be at least one minute.");
        }
        if (FeedbackTtl is { } feedback && feedback < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException("Store:FeedbackTtl", feedback, "Store:FeedbackTtl must be at least one minute.");
        }
        if (ItemTtl is { } item && item < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException("Store:ItemTtl", item, "Store:ItemTtl must be at least one minute.");
        }
        if (ImpressionTtl is { } impressions && impressions < TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException("Store:ImpressionTtl", impressions, "Store:ImpressionTtl must be at least one hour.");
        }
        if (SqliteCacheMiB < 1 || SqliteCacheMiB > SqliteStoreOptions.MaxCacheMiB)
        {
            throw new ArgumentOutOfRangeException("Store:SqliteCacheMiB", SqliteCacheMiB, $"Store:SqliteCacheMiB must be 1 to {SqliteStoreOptions.MaxCacheMiB}.");
        }
        if (ExpiryInterval < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException("Store:ExpiryInterval", ExpiryInterval, "Store:ExpiryInterval must be at least one second.");
        }
        if (ExpiryBatch < 1 || ExpiryBatch > StoreValidation.MaxDeleteBatch)
        {
            throw new ArgumentOutOfRangeException("Store:ExpiryBatch", ExpiryBatch, $"Store:ExpiryBatch must be 1 to {StoreValidation.MaxDeleteBatch}.");
        }
        return this;
    }

    /// <summary>The engine's side of these settings.</summary>
    public RetentionOptions ToRetention() => new()
    {
        FeedbackTtl = FeedbackTtl,
        ItemTtl = ItemTtl,
        ImpressionTtl = ImpressionTtl,
        SweepInterval = ExpiryInterval,
        SweepBatch = ExpiryBatch,
    };
}
