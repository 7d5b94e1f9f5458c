namespace Fresco.Engine.Impressions;

/// <summary>
/// How impressions (the answers shown) are recorded and remembered: the writer's bounded queue and batch size, how long
/// and how much of what each user was shown is kept in memory (for <c>Rotation</c> and last-touch attribution), and the
/// feedback type written for every item shown (Gorse's "read"; null: none). Mutable until the engine starts, which
/// validates it.
/// </summary>
public sealed class ImpressionOptions
{
    /// <summary>Impressions waiting for the writer; one more is shed (and counted), never waited for.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most impressions the writer stores in one call.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long the writer lets impressions gather after the first one arrives before it stores them (unless a batch
    /// fills first); zero: at once. At 1,000 answers a second, storing each as it comes made hundreds of small
    /// transactions a second, each a commit with its flush and its thread hand-offs (docs/benchmarks.md, "Impressions
    /// gathered, a generator that no longer spins").
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an item shown to a user is remembered for rotation (attribution keeps it at least its window).</summary>
    public TimeSpan ShownWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most items remembered per user (the most recently shown).</summary>
    public int MaxShownPerUser { get; set; } = 200;

    /// <summary>The most users whose shown items are remembered (the least recently shown to are forgotten first).</summary>
    public int MaxShownUsers { get; set; } = 100_000;

    /// <summary>When set, every item shown to a known user is also written as feedback of this type (value 0), off the request path.</summary>
    public string? ReadFeedbackType { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public ImpressionOptions Validate()
    {
        if (QueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "Impressions:QueueCapacity must be at least 1.");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Impressions:BatchSize must be at least 1.");
        }
        if (FlushInterval < TimeSpan.Zero || FlushInterval > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "Impressions:FlushInterval must be 0 to 10 seconds.");
        }
        if (ShownWindow <= TimeSpan.Zero || ShownWindow > TimeSpan.FromDays(366))
        {
            throw new ArgumentOutOfRangeException(nameof(ShownWindow), ShownWindow, "Impressions:ShownWindow must be above 0 and at most 366 days.");
        }
        if (MaxShownPerUser < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxShownPerUser), MaxShownPerUser, "Impressions:MaxShownPerUser must be at least 1.");
        }
        if (MaxShownUsers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxShownUsers), MaxShownUsers, "Impressions:MaxShownUsers must be at least 1.");
        }
        if (ReadFeedbackType is { } type && (type.Length == 0 || type.Length > Storage.StoreValidation.MaxIdLength))
        {
            throw new ArgumentOutOfRangeException(nameof(ReadFeedbackType), type,
                $"Impressions:ReadFeedbackType must be 1 to {Storage.StoreValidation.MaxIdLength} characters, or left out.");
        }
        return this;
    }
}
