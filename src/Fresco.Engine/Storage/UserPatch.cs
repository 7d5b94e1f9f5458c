namespace Fresco.Engine.Storage;

/// <summary>A partial update of a user: null fields are left unchanged. Immutable value.</summary>
public sealed record UserPatch(string[]? Labels = null, string? Comment = null);
