namespace Fresco.Engine.Serving;

/// <summary>
/// What a caller asks of a list: how many (<paramref name="N"/>, after skipping <paramref name="Offset"/>), only items
/// of <paramref name="Category"/> (null or empty: any), never the items in <paramref name="Exclude"/>, under the rules
/// of the stored scenario named <paramref name="Scenario"/> (null or empty: none), whose filter expressions read
/// <paramref name="Parameters"/> as <c>param.name</c> (a name the request does not give reads as the empty string), scored
/// by <paramref name="Model"/> (a model kind such as <c>als</c> or a stored version number; null or empty: the
/// scenario's model, else the serving one). Immutable value; the engine validates ranges
/// (<see cref="RecommendOptions.MaxN"/>), scenario names and model choices, and throws <see cref="ArgumentException"/>.
/// </summary>
public sealed record RecommendQuery(
    int N = 10,
    int Offset = 0,
    string? Category = null,
    IReadOnlyCollection<string>? Exclude = null,
    string? Scenario = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    string? Model = null);
