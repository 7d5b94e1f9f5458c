namespace Fresco.Engine.Storage;

/// <summary>
/// One interaction. Its key is (<see cref="FeedbackType"/>, <see cref="UserId"/>, <see cref="ItemId"/>): a store keeps
/// at most one row per key. Immutable value.
/// </summary>
public sealed record Feedback(string FeedbackType, string UserId, string ItemId, double Value, DateTimeOffset Timestamp);
