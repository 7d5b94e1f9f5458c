namespace Fresco.Server.Contracts;

/// <summary>A page of <c>GET /api/feedback</c>; an empty cursor ends the listing. Immutable value.</summary>
public sealed record FeedbackPage(string Cursor, IReadOnlyList<FeedbackContract> Feedback);
