namespace Fresco.Server.Contracts;

/// <summary>A page of <c>GET /api/items</c>; an empty cursor ends the listing. Immutable value.</summary>
public sealed record ItemPage(string Cursor, IReadOnlyList<ItemContract> Items);
