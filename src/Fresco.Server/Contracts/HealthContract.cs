namespace Fresco.Server.Contracts;

/// <summary>
/// The answer of the health probes: the process is up (<paramref name="Live"/>), the engine has loaded its state
/// (<paramref name="Ready"/>), its store takes writes (<paramref name="Writable"/>: false while the disk is full;
/// reads still work, so readiness does not depend on it), and what degrades the node now (<paramref name="Problems"/>:
/// a cluster node's unreachable PostgreSQL or Redis). Immutable value.
/// </summary>
public sealed record HealthContract(bool Live, bool Ready, bool Writable, IReadOnlyList<string> Problems);
