namespace Fresco.Server.Contracts;

/// <summary>
/// One entry of a scored list, <c>{"Id", "Score"}</c> (plus <c>"Source"</c> with <c>explain=true</c>, and <c>"RecommId"</c>,
/// the answer's recommendation id, on recommendation lists). Documents the shape
/// for OpenAPI and test clients; the server writes scored lists without materialising these. Immutable value.
/// </summary>
public sealed record ScoreContract(string Id, double Score, string? Source = null, string? RecommId = null);
