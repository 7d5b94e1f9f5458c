namespace Fresco.Engine.Storage;

/// <summary>A store that queues writes for a background writer; its back-log is a health signal. Thread-safe.</summary>
public interface IWriteQueue
{
    /// <summary>Writes queued and not yet picked up by the writer.</summary>
    int QueueDepth { get; }
}
