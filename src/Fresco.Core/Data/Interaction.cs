namespace Fresco.Core.Data;

/// <summary>One event: a user did something (an event type, an index into the event-type map) to an item.</summary>
/// <param name="Value">The event's own value: a rating, a quantity; 1 when the source has none.</param>
/// <param name="Timestamp">Unix time in seconds; 0 when the source has none (order then stands for time).</param>
public readonly record struct Interaction(int UserIndex, int ItemIndex, int EventType, float Value, long Timestamp);
