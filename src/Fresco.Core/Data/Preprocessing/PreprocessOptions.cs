using System.Globalization;
using Fresco.Core.Data.Readers;

namespace Fresco.Core.Data.Preprocessing;

/// <summary>
/// The preprocessing steps users ask for, applied by <see cref="Apply(InteractionTable)"/> in a fixed order:
/// time window, rating threshold, de-duplication, then the k-core. Immutable.
/// </summary>
public sealed record PreprocessOptions
{
    /// <summary>Which duplicate of a user-item pair to keep; null keeps every row.</summary>
    public DuplicateKeep? Dedupe { get; init; }

    public int MinUserInteractions { get; init; }

    public int MinItemInteractions { get; init; }

    /// <summary>Keep rating events with a value at least this; null keeps all.</summary>
    public float? RatingThreshold { get; init; }

    /// <summary>Keep events of the last this many days before the newest event; null keeps all.</summary>
    public double? LastDays { get; init; }

    /// <summary>Keep events at or after this unix time (seconds).</summary>
    public long? FromSeconds { get; init; }

    /// <summary>Keep events before this unix time (seconds).</summary>
    public long? ToSeconds { get; init; }

    public bool IsEmpty => this == new PreprocessOptions();

    public InteractionTable Apply(InteractionTable table) => Apply(table, kCore: true);

    /// <summary>
    /// Applies the steps to the interactions; a given test part gets every step but the k-core (which is a
    /// property of the training data), so that the two still share id maps.
    /// </summary>
    public DataSet Apply(DataSet data)
    {
        if (IsEmpty)
        {
            return data;
        }
        var steps = this;
        if (LastDays is { } days && data.Test is not null)
        {
            // One cut-off for both parts: the window ends at the newest event of either.
            var newest = Math.Max(InteractionFilters.Newest(data.Interactions), InteractionFilters.Newest(data.Test));
            var from = newest - (long)Math.Round(days * 86400) + 1;
            steps = this with { LastDays = null, FromSeconds = Math.Max(FromSeconds ?? long.MinValue, from) };
        }
        return data with
        {
            Interactions = steps.Apply(data.Interactions, kCore: true),
            Test = data.Test is null ? null : steps.Apply(data.Test, kCore: false),
        };
    }

    /// <summary>The steps as name/value pairs, for reports.</summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var steps = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FromSeconds is not null || ToSeconds is not null)
        {
            steps["time_range"] = $"{FromSeconds}..{ToSeconds}";
        }
        if (LastDays is { } days)
        {
            steps["time_window_days"] = days.ToString(CultureInfo.InvariantCulture);
        }
        if (RatingThreshold is { } threshold)
        {
            steps["rating_threshold"] = threshold.ToString(CultureInfo.InvariantCulture);
        }
        if (Dedupe is { } keep)
        {
            steps["dedupe"] = keep.ToString().ToLowerInvariant();
        }
        if (MinUserInteractions > 0)
        {
            steps["min_user_interactions"] = MinUserInteractions.ToString(CultureInfo.InvariantCulture);
        }
        if (MinItemInteractions > 0)
        {
            steps["min_item_interactions"] = MinItemInteractions.ToString(CultureInfo.InvariantCulture);
        }
        return steps;
    }

    private InteractionTable Apply(InteractionTable table, bool kCore)
    {
        if (FromSeconds is not null || ToSeconds is not null)
        {
            table = InteractionFilters.TimeRange(table, FromSeconds ?? long.MinValue, ToSeconds ?? long.MaxValue);
        }
        if (LastDays is { } days)
        {
            table = InteractionFilters.LastDays(table, days);
        }
        if (RatingThreshold is { } threshold)
        {
            table = InteractionFilters.MinimumValue(table, threshold);
        }
        if (Dedupe is { } keep)
        {
            table = InteractionFilters.Deduplicate(table, keep);
        }
        if (kCore && (MinUserInteractions > 1 || MinItemInteractions > 1))
        {
            table = InteractionFilters.KCore(table, MinUserInteractions, MinItemInteractions);
        }
        return table;
    }
}
