using System.Diagnostics;
using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Writes of feedback and users: the store first (durable), then the live state, in commit order per stripe of the
/// users written (<see cref="WriteSequencer"/>): inserts are pipelined so that they share the store's group commits;
/// overwrites, deletes and rebuilds from the store run alone on their stripes. Each method returns once its write is
/// durable and visible to the next recommendation. Feedback dated more than <paramref name="futureTolerance"/> past
/// <paramref name="time"/>'s now is written as of now. Thread-safe.
/// </summary>
internal sealed class FeedbackIngest(IStore store, EngineState state, EngineMetrics metrics, TimeProvider time, TimeSpan futureTolerance)
{
    private const int Stripes = 64;

    // The store phase of a row another node committed: nothing to write.
    private static readonly Task<int> s_committed = Task.FromResult(0);

    private readonly WriteSequencer _writes = new(Stripes);

    public Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var stripes = LockedStripes(batch);
        batch = ClampFuture(batch);
        Task<int> Store() => store.InsertFeedbackAsync(batch, overwrite, true, cancellationToken);
        Task<int> Apply(int written) => ApplyFeedbackAsync(batch, overwrite, written);
        // An overwrite may replace rows the live state must reload from the store: nothing on its users may commit
        // in between, so it runs alone on its stripes. Inserts are pipelined: they share group commits.
        return overwrite
            ? _writes.RunExclusiveAsync(stripes, async () => await Apply(await Store().ConfigureAwait(false)).ConfigureAwait(false))
            : _writes.RunAsync(stripes, Store, Apply);
    }

    public Task<int> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            var deleted = await store.DeleteUserItemFeedbackAsync(userId, itemId, feedbackType, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                await RebuildUserAsync(userId, CancellationToken.None).ConfigureAwait(false);
                state.AddEvents(-deleted);
                state.Lists.MarkChanged();
            }
            return deleted;
        });
    }

    public async Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken)
    {
        var written = await store.InsertUsersAsync(users, cancellationToken).ConfigureAwait(false);
        foreach (var user in users)
        {
            state.Live.RegisterUser(user.UserId);
        }
        return written;
    }

    public Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken) =>
        store.PatchUserAsync(userId, patch, cancellationToken);

    public Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            var rows = await store.GetUserFeedbackAsync(userId, null, cancellationToken).ConfigureAwait(false);
            if (!await store.DeleteUserAsync(userId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            state.Live.DeleteUser(userId);
            state.AddEvents(-rows.Count);
            state.Lists.MarkChanged();
            return true;
        });
    }

    /// <summary>
    /// Applies feedback another node committed (a cluster's change feed or bus) to the live state, in order on the
    /// users' stripes like a local insert's rows (after the writes before it, never holding back the writes after it from
    /// the store: an exclusive apply would wait for every local commit in flight and stall the local pipeline behind
    /// it); rows the live state already holds are skipped, so a change seen twice counts once. Returns the rows recorded.
    /// </summary>
    public Task<int> ApplyCommittedAsync(IReadOnlyList<Feedback> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _writes.RunAsync(LockedStripes(batch), static () => s_committed, async _ =>
        {
            var added = await RecordAsync(batch, overwrite: false).ConfigureAwait(false);
            state.CountWritten(added);
            return added;
        });
    }

    /// <summary>Registers a user another node inserted.</summary>
    public Task ApplyUserAsync(string userId)
    {
        state.Live.RegisterUser(userId);
        return Task.CompletedTask;
    }

    /// <summary>Removes a user another node deleted from the live state, alone on the user's stripe.</summary>
    public Task RemoveUserLockedAsync(string userId) =>
        _writes.RunExclusiveAsync(new[] { Stripe(userId) }, () =>
        {
            var events = state.Live.DeleteUser(userId);
            if (events >= 0)
            {
                state.AddEvents(-events);
                state.Lists.MarkChanged();
            }
            return Task.FromResult(true);
        });

    /// <summary>Replaces the user's live history by their stored rows, alone on the user's stripe.</summary>
    public Task RebuildUserLockedAsync(string userId, CancellationToken cancellationToken) =>
        _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            await RebuildUserAsync(userId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Reloads, alone on the user's stripe, a user whose stored rows expired (<see cref="RetentionSweep"/>): see
    /// <see cref="Realtime.LiveInteractions.Reload"/> (an evicted user stays out of memory, no one is marked active).
    /// </summary>
    public Task ReloadExpiredUserAsync(string userId, CancellationToken cancellationToken) =>
        _writes.RunExclusiveAsync(new[] { Stripe(userId) }, async () =>
        {
            var rows = await store.GetUserFeedbackAsync(userId, null, cancellationToken).ConfigureAwait(false);
            state.Live.Reload(userId, UserEviction.Events(rows));
            return true;
        });

    /// <summary>Applies a committed batch to the live state, in commit order on the batch's stripes.</summary>
    private async Task<int> ApplyFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, int written)
    {
        var acknowledged = Stopwatch.GetTimestamp();
        await RecordAsync(batch, overwrite).ConfigureAwait(false);
        foreach (var f in batch)
        {
            metrics.EventIngested(f.FeedbackType);
        }
        state.CountWritten(batch.Count);
        metrics.Freshness(acknowledged);
        return written;
    }

    /// <summary>
    /// Records committed rows in the live state (users and items made to exist) and publishes the users' snapshots;
    /// reloads from the store the users whose rows the state cannot locate (and those of an overwrite). The caller holds
    /// the users' stripes. Returns the rows recorded.
    /// </summary>
    private async Task<int> RecordAsync(IReadOnlyList<Feedback> batch, bool overwrite)
    {
        HashSet<string>? rebuild = null;
        var publish = new HashSet<int>();
        var added = 0;
        var live = state.Live;
        foreach (var f in batch)
        {
            // The user is marked existing by the apply (under their stripe lock, so a slot release never loses it).
            var outcome = live.ApplyIfNew(new LiveEvent(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp), out var user);
            state.Catalog.EnsureExists(live.EnsureItem(f.ItemId), f.ItemId);
            if (outcome != LiveApplyOutcome.Exists || overwrite)
            {
                publish.Add(user); // a row the state already held changes nothing: no new snapshot (a cluster sees most rows twice)
            }
            if (outcome is LiveApplyOutcome.Recorded or LiveApplyOutcome.Evicted)
            {
                added++;
            }
            if (outcome is LiveApplyOutcome.Untracked or LiveApplyOutcome.Evicted || overwrite)
            {
                // The store kept (insert) or replaced (overwrite) a row this state cannot locate, or the user's history
                // is out of memory: reload the user (their rows, this batch's included, as committed).
                (rebuild ??= new HashSet<string>(StringComparer.Ordinal)).Add(f.UserId);
            }
        }
        foreach (var user in publish)
        {
            live.Publish(user);
        }
        foreach (var userId in rebuild ?? [])
        {
            await RebuildUserAsync(userId, CancellationToken.None).ConfigureAwait(false);
        }
        state.AddEvents(added);
        state.Lists.MarkChanged();
        return added;
    }

    /// <summary>Replaces the user's live history by their stored rows; the caller holds the user's stripe.</summary>
    private async Task RebuildUserAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await store.GetUserFeedbackAsync(userId, null, cancellationToken).ConfigureAwait(false);
        state.Live.ReplaceUser(userId, UserEviction.Events(rows));
    }

    /// <summary>The batch with timestamps beyond now + the tolerance set to now (the same list when there are none).</summary>
    private IReadOnlyList<Feedback> ClampFuture(IReadOnlyList<Feedback> batch)
    {
        var now = time.GetUtcNow();
        Feedback[]? clamped = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var f = batch[i];
            if (f.Timestamp - now > futureTolerance)
            {
                clamped ??= [.. batch];
                clamped[i] = f with { Timestamp = now };
            }
        }
        return clamped ?? batch;
    }

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

    private static int Stripe(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % Stripes);
}
