using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Impressions;

/// <summary>
/// Credits feedback to the answers that led to it: a feedback whose type counts as a click, cart or purchase
/// (<see cref="AttributionOptions"/>) goes to the answer its <see cref="Feedback.RecommId"/> names, or, without one, to
/// the latest answer that showed its item to its user at most <see cref="AttributionOptions.Window"/> before it (last
/// touch, from the <see cref="ShownIndex"/>). The attributions are decided before the feedback is written and stored
/// after it committed, before the write returns. Thread-safe.
/// </summary>
internal sealed class FeedbackAttribution(IImpressionStore store, LiveInteractions live, ShownIndex shown, AttributionOptions options)
{
    /// <summary>Runs <paramref name="write"/> (the feedback's write), then stores the batch's attributions; returns what the write returned.</summary>
    public async Task<int> WriteAsync(IReadOnlyList<Feedback> batch, Func<Task<int>> write, CancellationToken cancellationToken)
    {
        var credited = Attribute(batch);
        var written = await write().ConfigureAwait(false);
        if (credited is not null)
        {
            await store.InsertAttributionsAsync(credited, cancellationToken).ConfigureAwait(false);
        }
        return written;
    }

    /// <summary>The attributions of a batch, or null when none of it is credited.</summary>
    public List<Attribution>? Attribute(IReadOnlyList<Feedback> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        List<Attribution>? credited = null;
        foreach (var f in batch)
        {
            if (f is null || options.KindOf(f.FeedbackType) is not { } kind)
            {
                continue;
            }
            if (f.RecommId is not null)
            {
                StoreValidation.Id(f.RecommId, nameof(f.RecommId)); // refused before the feedback is written, not after
            }
            var answer = f.RecommId;
            if (answer is null && live.TryGetItemIndex(f.ItemId, out var item) && shown.Of(f.UserId) is { } seen)
            {
                var at = f.Timestamp.UtcTicks;
                answer = seen.TryLastShown(item, at - options.Window.Ticks, at, out var last) ? last : null;
            }
            if (answer is not null)
            {
                (credited ??= []).Add(new Attribution(answer, f.UserId, f.ItemId, f.FeedbackType, kind, f.Value, f.Timestamp));
            }
        }
        return credited;
    }
}
