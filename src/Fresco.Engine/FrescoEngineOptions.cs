using Fresco.Engine.Impressions;
using Fresco.Engine.Ingest;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Training;

namespace Fresco.Engine;

/// <summary>Everything the engine is configured with. Validated once when the engine starts; not mutated afterwards.</summary>
public sealed class FrescoEngineOptions
{
    /// <summary>Event weights, consumed event types, trending half-life, history cap.</summary>
    public LiveOptions Live { get; set; } = new();

    public RecommendOptions Recommend { get; set; } = new();

    public TrainingOptions Training { get; set; } = new();

    /// <summary>Feedback and item time-to-live (off by default).</summary>
    public RetentionOptions Retention { get; set; } = new();
    /// <summary>The impressions record: its queue, what is remembered of what users were shown, read feedback.</summary>
    public ImpressionOptions Impressions { get; set; } = new();

    /// <summary>Which feedback is credited to recommendations, and the last-touch window.</summary>
    public AttributionOptions Attribution { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public FrescoEngineOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Live);
        ArgumentNullException.ThrowIfNull(Recommend);
        ArgumentNullException.ThrowIfNull(Training);
        ArgumentNullException.ThrowIfNull(Retention);
        ArgumentNullException.ThrowIfNull(Impressions);
        ArgumentNullException.ThrowIfNull(Attribution);
        Live.Validate();
        Recommend.Validate();
        Training.Validate();
        Retention.Validate();
        Impressions.Validate();
        Attribution.Validate();
        if (Retention.ImpressionTtl is { } impressionTtl && impressionTtl < Attribution.Window)
        {
            throw new ArgumentOutOfRangeException("ImpressionTtl", impressionTtl,
                $"Store:ImpressionTtl ({impressionTtl}) must be at least Attribution:Window ({Attribution.Window}): last touch reads the stored impressions of the window.");
        }
        return this;
    }
}
