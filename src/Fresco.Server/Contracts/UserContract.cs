using System.Text.Json.Serialization;

namespace Fresco.Server.Contracts;

/// <summary>A user as Gorse's API writes it: <c>{"UserId", "Labels", "Comment"}</c>. Unknown fields (Subscribe) are ignored. Not thread-safe (a DTO).</summary>
public sealed class UserContract
{
    public string? UserId { get; set; }

    [JsonConverter(typeof(StringArrayConverter))]
    public string[]? Labels { get; set; }

    public string? Comment { get; set; }
}
