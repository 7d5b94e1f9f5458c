using Fresco.Engine.Storage;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Time-to-live of feedback and items, as Gorse's <c>positive_feedback_ttl</c> and <c>item_ttl</c> (see
/// <see cref="RetentionSweep"/> for what each does here). Validated once at start-up; not mutated afterwards.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>
    /// Feedback dated longer ago than this is deleted from the store and leaves the live state. Null (the default): kept
    /// forever. At least one minute (TTLs of minutes are for soaks and tests; a shop's are days).
    /// </summary>
    public TimeSpan? FeedbackTtl { get; set; }

    /// <summary>
    /// Items dated longer ago than this (their <see cref="Item.Timestamp"/>) are no longer recommended; they stay stored,
    /// with their feedback. Items without a timestamp (created by feedback) never expire. Null (the default): never.
    /// At least one minute.
    /// </summary>
    public TimeSpan? ItemTtl { get; set; }

    /// <summary>
    /// Impressions (recommendation answers as shown) and attributions (feedback credited to them) dated longer ago than
    /// this are deleted from the store, so they no longer count in experiment results. Null (the default): kept forever.
    /// At least one hour, and at least <c>Attribution:Window</c> (checked by <see cref="FrescoEngineOptions.Validate"/>).
    /// </summary>
    public TimeSpan? ImpressionTtl { get; set; }

    /// <summary>How often the sweep runs. At least one second; default one minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Feedback rows (and, for <see cref="ImpressionTtl"/>, impressions and attributions each) deleted per store write (one short transaction each; writes queued meanwhile wait for at most one
    /// batch). 1 to <see cref="StoreValidation.MaxDeleteBatch"/>; default 1,000.
    /// </summary>
    public int SweepBatch { get; set; } = 1000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public RetentionOptions Validate()
    {
        if (FeedbackTtl is { } feedback && feedback < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(FeedbackTtl), feedback, "FeedbackTtl must be at least one minute (or null: never).");
        }
        if (ItemTtl is { } item && item < TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ItemTtl), item, "ItemTtl must be at least one minute (or null: never).");
        }
        if (ImpressionTtl is { } impressions && impressions < TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ImpressionTtl), impressions, "ImpressionTtl must be at least one hour (or null: never).");
        }
        if (SweepInterval < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(SweepInterval), SweepInterval, "SweepInterval must be at least one second.");
        }
        if (SweepBatch < 1 || SweepBatch > StoreValidation.MaxDeleteBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(SweepBatch), SweepBatch, $"SweepBatch must be 1 to {StoreValidation.MaxDeleteBatch}.");
        }
        return this;
    }
}
