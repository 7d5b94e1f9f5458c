using System.Text.Json.Serialization;

namespace Fresco.Server.Contracts;

/// <summary>The body of <c>PATCH /api/item/{id}</c>: absent (null) fields are left unchanged. Not thread-safe (a DTO).</summary>
public sealed class ItemPatchContract
{
    public bool? IsHidden { get; set; }

    [JsonConverter(typeof(StringArrayConverter))]
    public string[]? Categories { get; set; }

    [JsonConverter(typeof(StringArrayConverter))]
    public string[]? Labels { get; set; }

    public string? Comment { get; set; }

    public string? Timestamp { get; set; }
}
