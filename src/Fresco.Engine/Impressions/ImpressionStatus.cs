namespace Fresco.Engine.Impressions;

/// <summary>
/// The impressions record since start: answers recorded, impressions stored, shed because the queue was full, lost
/// after the store refused them repeatedly, the queue's depth now, and the users whose shown items are remembered.
/// Immutable value.
/// </summary>
public sealed record ImpressionStatus(long Recorded, long Stored, long Shed, long Failed, int QueueDepth, int ShownUsers);
