namespace Fresco.Engine.Storage;

/// <summary>
/// A catalog item, with Gorse's field meanings: hidden items are never recommended, categories scope
/// recommendations, labels are features, the timestamp dates the item (freshness). Immutable value.
/// </summary>
public sealed record Item(
    string ItemId,
    bool IsHidden,
    string[] Categories,
    string[] Labels,
    string Comment,
    DateTimeOffset Timestamp);
