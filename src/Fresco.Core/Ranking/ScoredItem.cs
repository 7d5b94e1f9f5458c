namespace Fresco.Core.Ranking;

/// <summary>An item index with its score; higher is better.</summary>
public readonly record struct ScoredItem(int ItemIndex, float Score);
