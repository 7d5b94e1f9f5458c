namespace Fresco.Server.Contracts;

/// <summary>The answer of the health probes: the process is up (<paramref name="Live"/>) and the engine has loaded its state (<paramref name="Ready"/>). Immutable value.</summary>
public sealed record HealthContract(bool Live, bool Ready, IReadOnlyList<string> Problems);
