using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Impressions;

/// <summary>
/// Credits feedback to the answers that led to it: a feedback whose type counts as a click, cart or purchase
/// (<see cref="AttributionOptions"/>) goes to the answer its <see cref="Feedback.RecommId"/> names, or, without one, to
/// the latest answer that showed its item to its user at most <see cref="AttributionOptions.Window"/> before it (last
/// touch): first from this node's <see cref="ShownIndex"/> (memory), else from the stored impressions (an answer of
/// another cluster node, or one this node no longer remembers), else, on a cluster node, once more after
/// <see cref="AttributionOptions.Recheck"/> (<see cref="AttributionRecheck"/>: the answering node's impression batch may
/// not be committed yet). Memory decides before the feedback is written; the store is read after its commit; the
/// attributions found by then are stored before the write returns. Thread-safe.
/// </summary>
internal sealed class FeedbackAttribution(IImpressionStore store, LiveInteractions live, ShownIndex shown, AttributionOptions options,
    AttributionRecheck? recheck, TimeProvider time)
{
    /// <summary>Runs <paramref name="write"/> (the feedback's write), then stores the batch's attributions; returns what the write returned.</summary>
    public async Task<int> WriteAsync(IReadOnlyList<Feedback> batch, Func<Task<int>> write, CancellationToken cancellationToken)
    {
        var (credited, unexplained) = Attribute(batch);
        var written = await write().ConfigureAwait(false);
        if (unexplained is not null)
        {
            var recent = time.GetUtcNow() - options.Recheck;
            foreach (var f in unexplained)
            {
                if (await FromRecordAsync(store, f, options, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    (credited ??= []).Add(found);
                }
                else if (f.Timestamp > recent)
                {
                    recheck?.Enqueue(f);
                }
            }
        }
        if (credited is not null)
        {
            await store.InsertAttributionsAsync(credited, cancellationToken).ConfigureAwait(false);
        }
        return written;
    }

    /// <summary>
    /// Last touch from the stored impressions: the attribution of <paramref name="feedback"/> (of an attributed type) to
    /// the newest stored answer that showed its item to its user within the window, or null.
    /// </summary>
    public static async Task<Attribution?> FromRecordAsync(IImpressionStore store, Feedback feedback, AttributionOptions options,
        CancellationToken cancellationToken)
    {
        var answer = await store.FindLastShownAsync(feedback.UserId, feedback.ItemId, feedback.Timestamp - options.Window, feedback.Timestamp,
            cancellationToken).ConfigureAwait(false);
        return answer is null ? null : Credit(feedback, answer, options.KindOf(feedback.FeedbackType)!.Value);
    }

    /// <summary>
    /// What memory decides for a batch: the attributions it credits (null: none) and the feedback of attributed types
    /// without a <c>RecommId</c> that this node's shown index does not explain (null: none), to be looked up in the store.
    /// </summary>
    private (List<Attribution>? Credited, List<Feedback>? Unexplained) Attribute(IReadOnlyList<Feedback> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        List<Attribution>? credited = null;
        List<Feedback>? unexplained = null;
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
                (credited ??= []).Add(Credit(f, answer, kind));
            }
            else
            {
                (unexplained ??= []).Add(f);
            }
        }
        return (credited, unexplained);
    }

    private static Attribution Credit(Feedback f, string answer, AttributionKind kind) =>
        new(answer, f.UserId, f.ItemId, f.FeedbackType, kind, f.Value, f.Timestamp);
}
