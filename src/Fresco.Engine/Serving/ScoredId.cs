namespace Fresco.Engine.Serving;

/// <summary>
/// One entry of an answer: an item (or user) id, its score (higher is better), and which recommender produced it
/// ("als", "item-to-item", "trending", "latest", ...) for <c>explain=true</c>. Immutable value.
/// </summary>
public readonly record struct ScoredId(string Id, float Score, string Source);
