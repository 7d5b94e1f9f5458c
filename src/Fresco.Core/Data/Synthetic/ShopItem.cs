namespace Fresco.Core.Data.Synthetic;

/// <summary>One generated catalog item: its id, its category and whether it is hidden (out of stock).</summary>
public sealed record ShopItem(string ItemId, string Category, bool IsHidden, DateTimeOffset Timestamp);
