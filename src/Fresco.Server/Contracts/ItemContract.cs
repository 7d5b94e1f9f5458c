using System.Text.Json.Serialization;

namespace Fresco.Server.Contracts;

/// <summary>
/// An item as Gorse's API writes it: <c>{"ItemId", "IsHidden", "Categories", "Labels", "Comment", "Timestamp"}</c>, the
/// timestamp an RFC 3339 string. Not thread-safe (a DTO).
/// </summary>
public sealed class ItemContract
{
    public string? ItemId { get; set; }

    public bool IsHidden { get; set; }

    [JsonConverter(typeof(StringArrayConverter))]
    public string[]? Categories { get; set; }

    [JsonConverter(typeof(StringArrayConverter))]
    public string[]? Labels { get; set; }

    public string? Comment { get; set; }

    public string? Timestamp { get; set; }
}
