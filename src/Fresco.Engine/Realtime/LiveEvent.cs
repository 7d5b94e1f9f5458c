namespace Fresco.Engine.Realtime;

/// <summary>One interaction as it arrives at the live state.</summary>
public readonly record struct LiveEvent(string UserId, string ItemId, string EventType, float Value, DateTimeOffset Timestamp);
