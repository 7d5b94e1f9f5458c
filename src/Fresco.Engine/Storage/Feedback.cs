namespace Fresco.Engine.Storage;

/// <summary>
/// One interaction. Its key is (<see cref="FeedbackType"/>, <see cref="UserId"/>, <see cref="ItemId"/>): a store keeps
/// at most one row per key. <see cref="RecommId"/> names the recommendation answer the interaction came from, when the
/// client says so; it is used for attribution and not stored with the row. Immutable value.
/// </summary>
public sealed record Feedback(string FeedbackType, string UserId, string ItemId, double Value, DateTimeOffset Timestamp)
{
    /// <summary>The <c>X-Recommendation-Id</c> of the answer this interaction came from, or null (then last touch decides).</summary>
    public string? RecommId { get; init; }
}
