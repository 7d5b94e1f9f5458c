namespace Fresco.Engine.Storage;

/// <summary>
/// One page of a listing. <see cref="Cursor"/> is opaque: pass it back to get the next page; an empty cursor means
/// the listing is complete. Immutable value.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string Cursor);
