namespace Fresco.Server.Contracts;

/// <summary>The answer of <c>POST /api/models/rollback</c>: the version now served and why. Immutable value.</summary>
public sealed record OutcomeContract(bool Promoted, long Version, string Reason);
