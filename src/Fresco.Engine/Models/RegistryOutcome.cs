namespace Fresco.Engine.Models;

/// <summary>
/// What a proposal or rollback did: whether <paramref name="Version"/> is now served, and why (for logs and the
/// API). <paramref name="Version"/> is the stored candidate (proposals) or the target (rollbacks; -1 when there was
/// none). Immutable value.
/// </summary>
public sealed record RegistryOutcome(bool Promoted, long Version, string Reason);
