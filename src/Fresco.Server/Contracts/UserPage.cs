namespace Fresco.Server.Contracts;

/// <summary>A page of <c>GET /api/users</c>; an empty cursor ends the listing. Immutable value.</summary>
public sealed record UserPage(string Cursor, IReadOnlyList<UserContract> Users);
