namespace Fresco.Engine.Storage;

/// <summary>
/// Argument checks shared by every store (the in-memory one here and each adapter project), run on a whole batch before
/// anything is written. Thread-safe (stateless).
/// </summary>
public static class StoreValidation
{
    public const int MaxIdLength = 256;

    public static void Id(string? id, string what)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"{what} must not be empty.", what);
        }

        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException($"{what} is {id.Length} characters long; at most {MaxIdLength} are allowed.", what);
        }
    }

    public static void OptionalType(string? feedbackType)
    {
        if (feedbackType is not null)
        {
            Id(feedbackType, "feedbackType");
        }
    }

    public static void Users(IReadOnlyList<User> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        for (var i = 0; i < users.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(users[i], nameof(users));
            Id(users[i].UserId, $"users[{i}].UserId");
        }
    }

    public static void Items(IReadOnlyList<Item> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = 0; i < items.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(items[i], nameof(items));
            Id(items[i].ItemId, $"items[{i}].ItemId");
        }
    }

    public static void Feedback(IReadOnlyList<Feedback> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var i = 0; i < batch.Count; i++)
        {
            var f = batch[i];
            ArgumentNullException.ThrowIfNull(f, nameof(batch));
            Id(f.FeedbackType, $"batch[{i}].FeedbackType");
            Id(f.UserId, $"batch[{i}].UserId");
            Id(f.ItemId, $"batch[{i}].ItemId");
            if (!double.IsFinite(f.Value))
            {
                throw new ArgumentException($"batch[{i}].Value is {f.Value}; feedback values must be finite.", nameof(batch));
            }
        }
    }

    /// <summary>The most rows one <see cref="IEventStore.DeleteFeedbackBeforeAsync"/> call may delete.</summary>
    public const int MaxDeleteBatch = 100_000;

    public static void DeleteBatch(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxDeleteBatch);
    }

    public static void Impressions(IReadOnlyList<Impression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        for (var i = 0; i < impressions.Count; i++)
        {
            var impression = impressions[i];
            ArgumentNullException.ThrowIfNull(impression, nameof(impressions));
            Id(impression.Id, $"impressions[{i}].Id");
            ArgumentNullException.ThrowIfNull(impression.ItemIds, nameof(impressions));
            if (impression.UserId is not null)
            {
                Id(impression.UserId, $"impressions[{i}].UserId");
            }
        }
    }

    public static void Attributions(IReadOnlyList<Attribution> attributions)
    {
        ArgumentNullException.ThrowIfNull(attributions);
        for (var i = 0; i < attributions.Count; i++)
        {
            var a = attributions[i];
            ArgumentNullException.ThrowIfNull(a, nameof(attributions));
            Id(a.RecommId, $"attributions[{i}].RecommId");
            Id(a.UserId, $"attributions[{i}].UserId");
            Id(a.ItemId, $"attributions[{i}].ItemId");
            Id(a.FeedbackType, $"attributions[{i}].FeedbackType");
            if (!double.IsFinite(a.Value) || !Enum.IsDefined(a.Kind))
            {
                throw new ArgumentException($"attributions[{i}] has a value that is not finite or an unknown kind.", nameof(attributions));
            }
        }
    }

    public static void PageSize(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
    }
}
