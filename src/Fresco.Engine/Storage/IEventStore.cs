namespace Fresco.Engine.Storage;

/// <summary>
/// Feedback (interactions), keyed by (type, user, item). Implementations are thread-safe; a method returns only
/// once its write is durable, and a rejected batch (<see cref="ArgumentException"/>) writes nothing.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Writes a batch as one transaction. With <paramref name="overwrite"/> false an existing row with the same key
    /// is kept (Gorse's POST /feedback); with true its value and timestamp are replaced (PUT /feedback). Within one
    /// batch the first (insert) or last (overwrite) row of a key wins. With <paramref name="autoCreate"/> unknown
    /// users and items are created empty (item timestamp = <see cref="DateTimeOffset.MinValue"/>); without it,
    /// feedback naming an unknown user or item is skipped. Returns the number of feedback rows written. Batches
    /// commit in call order: a batch whose call returned before another call began commits first, even while both
    /// are pending (the engine applies committed batches to its live state in that order).
    /// </summary>
    Task<int> InsertFeedbackAsync(
        IReadOnlyList<Feedback> batch, bool overwrite, bool autoCreate = true, CancellationToken cancellationToken = default);

    /// <summary>A user's feedback (of one type when <paramref name="feedbackType"/> is given), in insertion order.</summary>
    Task<IReadOnlyList<Feedback>> GetUserFeedbackAsync(
        string userId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>An item's feedback (of one type when <paramref name="feedbackType"/> is given), in insertion order.</summary>
    Task<IReadOnlyList<Feedback>> GetItemFeedbackAsync(
        string itemId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>Feedback between one user and one item, in insertion order.</summary>
    Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>Lists up to <paramref name="n"/> feedback rows after <paramref name="cursor"/>, in insertion order.</summary>
    Task<Page<Feedback>> ListFeedbackAsync(
        string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes feedback between a user and an item. Returns the number of rows deleted.</summary>
    Task<int> DeleteUserItemFeedbackAsync(
        string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="max"/> feedback rows dated before <paramref name="cutoff"/> (oldest first), as one
    /// short write, and returns them: a feedback TTL sweep calls it in a loop, one bounded batch at a time, so it never
    /// holds the store's writer for long. Their keys may be written again afterwards.
    /// </summary>
    Task<IReadOnlyList<Feedback>> DeleteFeedbackBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default);

    /// <summary>Streams every feedback row in insertion order (a consistent snapshot where the store allows), for training.</summary>
    IAsyncEnumerable<Feedback> ReadAllFeedbackAsync(CancellationToken cancellationToken = default);

    Task<long> CountFeedbackAsync(CancellationToken cancellationToken = default);
}
