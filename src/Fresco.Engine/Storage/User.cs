namespace Fresco.Engine.Storage;

/// <summary>A user, with Gorse's field meanings: labels are features, the comment is free text. Immutable value.</summary>
public sealed record User(string UserId, string[] Labels, string Comment);
