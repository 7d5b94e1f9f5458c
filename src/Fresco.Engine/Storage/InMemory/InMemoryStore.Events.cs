using System.Globalization;
using System.Runtime.CompilerServices;

namespace Fresco.Engine.Storage.InMemory;

/// <summary>The <see cref="IEventStore"/> part of <see cref="InMemoryStore"/>.</summary>
public sealed partial class InMemoryStore
{
    public Task<int> InsertFeedbackAsync(
        IReadOnlyList<Feedback> batch, bool overwrite, bool autoCreate = true, CancellationToken cancellationToken = default)
    {
        StoreValidation.Feedback(batch);
        var written = 0;
        lock (_lock)
        {
            foreach (var raw in batch)
            {
                var f = raw with { Timestamp = raw.Timestamp.ToUniversalTime() };
                if (autoCreate)
                {
                    _users.TryAdd(f.UserId, new User(f.UserId, [], ""));
                    _items.TryAdd(f.ItemId, new Item(f.ItemId, false, [], [], "", DateTimeOffset.MinValue));
                }
                else if (!_users.ContainsKey(f.UserId) || !_items.ContainsKey(f.ItemId))
                {
                    continue;
                }

                var key = (f.FeedbackType, f.UserId, f.ItemId);
                if (_feedbackKeys.TryGetValue(key, out var seq))
                {
                    if (overwrite)
                    {
                        _feedback[seq] = f;
                        written++;
                    }

                    continue;
                }

                seq = _nextSequence++;
                _feedbackKeys.Add(key, seq);
                _feedback.Add(seq, f);
                written++;
            }
        }

        return Task.FromResult(written);
    }

    public Task<IReadOnlyList<Feedback>> GetUserFeedbackAsync(
        string userId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.OptionalType(feedbackType);
        return Select(f => f.UserId == userId && (feedbackType is null || f.FeedbackType == feedbackType));
    }

    public Task<IReadOnlyList<Feedback>> GetItemFeedbackAsync(
        string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return Select(f => f.ItemId == itemId && (feedbackType is null || f.FeedbackType == feedbackType));
    }

    public Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        return Select(f => f.UserId == userId && f.ItemId == itemId && (feedbackType is null || f.FeedbackType == feedbackType));
    }

    public Task<Page<Feedback>> ListFeedbackAsync(
        string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(n);
        StoreValidation.OptionalType(feedbackType);
        var after = PageCursor.DecodeSequence(cursor);
        lock (_lock)
        {
            var rows = _feedback.Where(e => e.Key > after && (feedbackType is null || e.Value.FeedbackType == feedbackType))
                .Take(n + 1).ToList();
            var page = ToPage(rows, n, e => e.Key.ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(new Page<Feedback>([.. page.Items.Select(e => e.Value)], page.Cursor));
        }
    }

    public Task<int> DeleteUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        StoreValidation.OptionalType(feedbackType);
        lock (_lock)
        {
            return Task.FromResult(RemoveFeedbackWhere(
                f => f.UserId == userId && f.ItemId == itemId && (feedbackType is null || f.FeedbackType == feedbackType)));
        }
    }

    public Task<IReadOnlyList<Feedback>> DeleteFeedbackBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        StoreValidation.DeleteBatch(max);
        lock (_lock)
        {
            var gone = _feedback.Where(e => e.Value.Timestamp < cutoff).OrderBy(e => e.Value.Timestamp).ThenBy(e => e.Key).Take(max).ToList();
            foreach (var (seq, f) in gone)
            {
                _feedback.Remove(seq);
                _feedbackKeys.Remove((f.FeedbackType, f.UserId, f.ItemId));
            }

            return Task.FromResult<IReadOnlyList<Feedback>>([.. gone.Select(e => e.Value)]);
        }
    }

    public async IAsyncEnumerable<Feedback> ReadAllFeedbackAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Feedback[] snapshot;
        lock (_lock)
        {
            snapshot = [.. _feedback.Values];
        }

        foreach (var f in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return f;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<long> CountFeedbackAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_feedback.Count);
        }
    }

    private Task<IReadOnlyList<Feedback>> Select(Func<Feedback, bool> predicate)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Feedback>>([.. _feedback.Values.Where(predicate)]);
        }
    }
}
