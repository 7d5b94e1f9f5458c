namespace Fresco.Core.Data.Synthetic;

/// <summary>One generated event: <c>view</c>, <c>cart</c> or <c>purchase</c>.</summary>
public readonly record struct ShopEvent(string UserId, string ItemId, string EventType, DateTimeOffset Timestamp);
