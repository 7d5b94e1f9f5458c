namespace Fresco.Engine.Storage;

/// <summary>
/// The store cannot make a write durable or answer a read now (its server is down or unreachable, its disk is full):
/// nothing was written, and the same call may succeed later. Hosts answer 503 with Retry-After.
/// </summary>
public sealed class StoreUnavailableException : IOException
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
