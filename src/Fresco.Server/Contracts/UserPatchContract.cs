using System.Text.Json.Serialization;

namespace Fresco.Server.Contracts;

/// <summary>The body of <c>PATCH /api/user/{id}</c>: absent (null) fields are left unchanged. Not thread-safe (a DTO).</summary>
public sealed class UserPatchContract
{
    [JsonConverter(typeof(StringArrayConverter))]
    public string[]? Labels { get; set; }

    public string? Comment { get; set; }
}
