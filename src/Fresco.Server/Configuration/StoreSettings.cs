namespace Fresco.Server.Configuration;

/// <summary>
/// The <c>Store</c> section: which store the server runs on. Empty (the default): the embedded SQLite store in
/// Server:DataDir. <see cref="Postgres"/> set: PostgreSQL, the store of a cluster. Bound and validated once at start-up.
/// </summary>
public sealed class StoreSettings
{
    public const string SectionName = "Store";

    /// <summary>An Npgsql connection string ("Host=...;Database=...;Username=...;Password=..."); null: SQLite.</summary>
    public string? Postgres { get; set; }

    /// <summary>PostgreSQL: feedback older than this is dropped (whole monthly partitions). Null keeps it forever.</summary>
    public TimeSpan? FeedbackTtl { get; set; }

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
        if (FeedbackTtl is { } ttl && ttl < TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException("Store:FeedbackTtl", ttl, "Store:FeedbackTtl must be at least one hour.");
        }
        return this;
    }
}
