namespace Fresco.Server.Http;

/// <summary>Endpoint metadata: a read-only API key may call this endpoint (see <see cref="ApiKeyMiddleware"/>). Immutable.</summary>
internal sealed class ReadKeyAccess
{
    public static readonly ReadKeyAccess Instance = new();

    private ReadKeyAccess()
    {
    }
}
