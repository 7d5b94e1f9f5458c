namespace Fresco.Engine.Storage;

/// <summary>
/// A store could not make a write durable because its storage is out of space (a full disk or quota). The write was
/// not acknowledged and not applied; the same write may succeed once space is freed. Stores translate their own
/// "disk full" errors into it so that hosts can answer them (HTTP 507) without knowing the store.
/// </summary>
public sealed class StoreFullException : IOException
{
    public StoreFullException()
        : base("the store's disk is full")
    {
    }

    public StoreFullException(string message)
        : base(message)
    {
    }

    public StoreFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
