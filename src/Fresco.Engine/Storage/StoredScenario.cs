namespace Fresco.Engine.Storage;

/// <summary>One stored scenario version: its name, version, definition (JSON) and when it was written. Immutable value.</summary>
public sealed record StoredScenario(string Name, long Version, string Definition, DateTimeOffset UpdatedAt);
