namespace Fresco.Engine.Serving;

/// <summary>Settings of the recommendation pipeline. Mutable until the engine starts, which validates it.</summary>
public sealed class RecommendOptions
{
    /// <summary>The largest <c>n</c> (plus offset) a request may ask for.</summary>
    public int MaxN { get; set; } = 1000;

    /// <summary>How many of the user's newest items seed item-to-item and session candidates.</summary>
    public int RecentItems { get; set; } = 10;

    /// <summary>Users whose answers are cached (least recently used beyond it); 0 disables the cache.</summary>
    public int CacheUsers { get; set; } = 100_000;

    /// <summary>
    /// The longest a cached answer is reused while the user, the catalog and the model stay unchanged (other users'
    /// events move trending and popular lists without invalidating it).
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Catalogs with more items than this use approximate nearest-neighbour retrieval for factor models.</summary>
    public int AnnThreshold { get; set; } = 200_000;

    /// <summary>
    /// How many stored model versions besides the serving one are held loaded for scenarios (and queries) that choose
    /// their model (least recently used dropped beyond it). At least 1.
    /// </summary>
    public int ScenarioModels { get; set; } = 4;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public RecommendOptions Validate()
    {
        if (MaxN < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxN), MaxN, "Recommend:MaxN must be at least 1.");
        }
        if (RecentItems < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RecentItems), RecentItems, "Recommend:RecentItems must be at least 1.");
        }
        if (CacheUsers < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CacheUsers), CacheUsers, "Recommend:CacheUsers must not be negative.");
        }
        if (CacheTtl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CacheTtl), CacheTtl, "Recommend:CacheTtl must be positive.");
        }
        if (AnnThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AnnThreshold), AnnThreshold, "Recommend:AnnThreshold must be at least 1.");
        }
        if (ScenarioModels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ScenarioModels), ScenarioModels, "Recommend:ScenarioModels must be at least 1.");
        }
        return this;
    }
}
