using System.Diagnostics;
using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine;

/// <summary>
/// Feedback writes: the store first, then the live histories, in commit order per stripe of the users written
/// (<see cref="WriteSequencer"/>).
/// </summary>
public sealed partial class FrescoEngine
{
    public Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var stripes = LockedStripes(batch);
        Task<int> Store() => _store.InsertFeedbackAsync(batch, overwrite, true, cancellationToken);
        Task<int> Apply(int written) => ApplyFeedbackAsync(batch, overwrite, written);
        // An overwrite may replace rows the live state must reload from the store: nothing on its users may commit
        // in between, so it runs alone on its stripes. Inserts are pipelined: they share group commits.
        return overwrite
            ? _writes.RunExclusiveAsync(stripes, async () => await Apply(await Store().ConfigureAwait(false)).ConfigureAwait(false))
            : _writes.RunAsync(stripes, Store, Apply);
    }

    /// <summary>Applies a committed batch to the live state, in commit order on the batch's stripes.</summary>
    private async Task<int> ApplyFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, int written)
    {
        var acknowledged = Stopwatch.GetTimestamp();
        HashSet<string>? rebuild = null;
        var publish = new HashSet<int>();
        var added = 0;
        foreach (var f in batch)
        {
            var user = _live.ApplyIfNew(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp, onlyNew: true, out var applied);
            _users.Set(user, true);
            _catalog.EnsureExists(_live.EnsureItem(f.ItemId));
            publish.Add(user);
            if (applied == true)
            {
                added++;
            }
            else if (applied is null || overwrite)
            {
                // The store kept (insert) or replaced (overwrite) a row this state cannot locate: reload the user.
                (rebuild ??= new HashSet<string>(StringComparer.Ordinal)).Add(f.UserId);
            }
            Metrics.EventIngested(f.FeedbackType);
        }
        foreach (var user in publish)
        {
            _live.Publish(user);
        }
        foreach (var userId in rebuild ?? [])
        {
            await RebuildUserAsync(userId, CancellationToken.None).ConfigureAwait(false);
        }
        Interlocked.Add(ref _events, added);
        Interlocked.Add(ref _eventsSinceTraining, batch.Count);
        _lists.MarkChanged();
        Metrics.Freshness(acknowledged);
        return written;
    }

    public Task<int> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            var deleted = await _store.DeleteUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                await RebuildUserAsync(userId, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _events, -deleted);
                _lists.MarkChanged();
            }
            return deleted;
        });
    }

    /// <summary>Replaces the user's live history by their stored rows; the caller holds the user's stripe.</summary>
    private async Task RebuildUserAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await _store.GetUserFeedbackAsync(userId, null, cancellationToken).ConfigureAwait(false);
        var events = new LiveEvent[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var f = rows[i];
            events[i] = new LiveEvent(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp);
        }
        _live.ReplaceUser(userId, events);
    }

    private Task RebuildUserLockedAsync(string userId, CancellationToken cancellationToken) =>
        _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            await RebuildUserAsync(userId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    private static int[] LockedStripes(IReadOnlyList<Feedback> batch)
    {
        Span<bool> seen = stackalloc bool[Stripes];
        var count = 0;
        foreach (var f in batch)
        {
            ArgumentNullException.ThrowIfNull(f);
            ArgumentException.ThrowIfNullOrEmpty(f.UserId);
            ref var s = ref seen[Stripe(f.UserId)];
            count += s ? 0 : 1;
            s = true;
        }
        var stripes = new int[count];
        var n = 0;
        for (var i = 0; i < Stripes; i++)
        {
            if (seen[i])
            {
                stripes[n++] = i;
            }
        }
        return stripes;
    }
}
