namespace Fresco.Server;

/// <summary>
/// The <c>Server</c> section of the configuration: where the server listens, where the embedded store lives, the API
/// key and request limits. Bound and validated once at start-up; not mutated afterwards.
/// </summary>
public sealed class FrescoServerOptions
{
    public const string SectionName = "Server";

    /// <summary>TCP port to listen on; 0 picks a free one.</summary>
    public int Port { get; set; } = 8088;

    /// <summary>Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Folder of the embedded store (created when missing).</summary>
    public string DataDir { get; set; } = "./fresco-data";

    /// <summary>When set, every request except the health probes must carry it in the <c>X-API-Key</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body accepted, in bytes (larger ones answer 413).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most rows one write may carry, and most rows one listing page may ask for.</summary>
    public int MaxBatch { get; set; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public FrescoServerOptions Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException("Server:Port", Port, $"Server:Port must be within 0..65535, not {Port}.");
        }
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Server:Host must not be empty.", "Server:Host");
        }
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            throw new ArgumentException("Server:DataDir must not be empty.", "Server:DataDir");
        }
        if (ApiKey is { Length: 0 })
        {
            ApiKey = null;
        }
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentOutOfRangeException("Server:MaxRequestBodyBytes", MaxRequestBodyBytes,
                $"Server:MaxRequestBodyBytes must be at least 1024, not {MaxRequestBodyBytes}.");
        }
        if (MaxBatch < 1)
        {
            throw new ArgumentOutOfRangeException("Server:MaxBatch", MaxBatch, $"Server:MaxBatch must be at least 1, not {MaxBatch}.");
        }
        return this;
    }
}
