namespace Fresco.Engine.Serving;

/// <summary>
/// What a caller asks of a list: how many (<paramref name="N"/>, after skipping <paramref name="Offset"/>), only items
/// of <paramref name="Category"/> (null or empty: any), never the items in <paramref name="Exclude"/>, under the rules
/// of the stored scenario named <paramref name="Scenario"/> (null or empty: none). Immutable value; the engine validates
/// ranges (<see cref="RecommendOptions.MaxN"/>) and scenario names, and throws <see cref="ArgumentException"/>.
/// </summary>
public sealed record RecommendQuery(
    int N = 10,
    int Offset = 0,
    string? Category = null,
    IReadOnlyCollection<string>? Exclude = null,
    string? Scenario = null);
