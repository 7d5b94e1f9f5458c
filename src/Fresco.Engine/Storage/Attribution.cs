namespace Fresco.Engine.Storage;

/// <summary>
/// One feedback credited to the answer <see cref="RecommId"/> that showed its item: a click, cart or purchase
/// (<see cref="Kind"/>) by <see cref="UserId"/> on <see cref="ItemId"/>, the feedback's type, value (revenue for a
/// purchase) and time. Its key is (<see cref="RecommId"/>, <see cref="FeedbackType"/>, <see cref="UserId"/>,
/// <see cref="ItemId"/>): a store keeps the first row per key. Immutable value.
/// </summary>
public sealed record Attribution(
    string RecommId,
    string UserId,
    string ItemId,
    string FeedbackType,
    AttributionKind Kind,
    double Value,
    DateTimeOffset Time);
