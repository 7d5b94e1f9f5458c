namespace Fresco.Engine.Storage;

/// <summary>One stored experiment: its name, definition (JSON) and when it was written. Immutable value.</summary>
public sealed record StoredExperiment(string Name, string Definition, DateTimeOffset UpdatedAt);
