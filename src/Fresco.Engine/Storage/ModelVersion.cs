namespace Fresco.Engine.Storage;

/// <summary>
/// Metadata of one stored model artifact: its version id, the model kind (catalog name), when it was trained,
/// its quality metrics, its size, and whether it is the version being served. Immutable value.
/// </summary>
public sealed record ModelVersion(
    long Version,
    string Kind,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, double> Metrics,
    long SizeBytes,
    bool IsServing);
