using System.Text.Json.Serialization;

namespace Fresco.Server.Contracts;

/// <summary>
/// One feedback row as Gorse's API writes it: <c>{"FeedbackType", "UserId", "ItemId", "Value", "Timestamp", "Comment"}</c>.
/// A missing timestamp means "now" on writes; the comment is accepted and not stored. Fresco's extra <c>RecommId</c> names
/// the recommendation answer (its <c>X-Recommendation-Id</c>) the feedback came from, for attribution; Gorse ignores it.
/// Not thread-safe (a DTO).
/// </summary>
public sealed class FeedbackContract
{
    public string? FeedbackType { get; set; }

    public string? UserId { get; set; }

    public string? ItemId { get; set; }

    public double Value { get; set; }

    public string? Timestamp { get; set; }

    public string? Comment { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RecommId { get; set; }
}
