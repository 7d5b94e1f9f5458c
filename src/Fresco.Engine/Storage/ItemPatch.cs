namespace Fresco.Engine.Storage;

/// <summary>A partial update of an item: null fields are left unchanged. Immutable value.</summary>
public sealed record ItemPatch(
    bool? IsHidden = null,
    string[]? Categories = null,
    string[]? Labels = null,
    string? Comment = null,
    DateTimeOffset? Timestamp = null);
