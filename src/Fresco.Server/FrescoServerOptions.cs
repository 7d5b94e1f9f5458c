namespace Fresco.Server;

/// <summary>
/// The <c>Server</c> section of the configuration: where the server listens, where the embedded store lives, the API
/// keys, TLS and request limits. Bound and validated once at start-up; not mutated afterwards.
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

    /// <summary>
    /// The admin key: when set, every request except the health probes must carry it (or, on the read endpoints, one
    /// of <see cref="ReadApiKeys"/>) in the <c>X-API-Key</c> header.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>A file whose first line is the admin key (so the key is not on a command line); not with <see cref="ApiKey"/>.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Read-only keys (a storefront's): recommendations, popular, latest, neighbours, sessions; anything else answers 403.</summary>
    public string[] ReadApiKeys { get; set; } = [];

    /// <summary>Requests per second each key (or, with no key configured, each client address) may make; 0: no limit.</summary>
    public int RateLimitPerSecond { get; set; }

    /// <summary>Requests a key may make at once above its per-second rate; 0: the per-second rate.</summary>
    public int RateLimitBurst { get; set; }

    /// <summary>Requests served at once; beyond it up to <see cref="MaxQueuedRequests"/> wait, the rest answer 503 at once. 0: no limit.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests that may wait for one of the <see cref="MaxConcurrentRequests"/> slots (oldest first).</summary>
    public int MaxQueuedRequests { get; set; } = 128;

    /// <summary>
    /// Queueing delay in the thread pool (before a request's first middleware) that, standing for
    /// <see cref="QueueDelayInterval"/>, makes reads answer 503 until the queue drains; zero: off.
    /// </summary>
    public TimeSpan QueueDelayTarget { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long the queueing delay must stay over <see cref="QueueDelayTarget"/> before shedding starts (bursts shorter than it pass).</summary>
    public TimeSpan QueueDelayInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A certificate (PEM or PKCS#12) to serve HTTPS with; none: plain HTTP.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when it is not in the certificate file.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of a PKCS#12 certificate or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Largest request body accepted, in bytes (larger ones answer 413).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most rows one write may carry, and most rows one listing page may ask for.</summary>
    public int MaxBatch { get; set; } = 10_000;

    /// <summary>True when <see cref="Host"/> is a loopback address (only this machine can connect).</summary>
    public bool IsLoopbackOnly =>
        Host is "localhost" || (System.Net.IPAddress.TryParse(Host, out var address) && System.Net.IPAddress.IsLoopback(address));

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
        ValidateKeys();
        ValidateLimits();
        if (CertificatePath is { Length: 0 })
        {
            CertificatePath = null;
        }
        if (CertificatePath is null && !string.IsNullOrEmpty(CertificateKeyPath))
        {
            throw new ArgumentException("Server:CertificateKeyPath needs Server:CertificatePath.", "Server:CertificateKeyPath");
        }
        return this;
    }

    private void ValidateKeys()
    {
        if (ApiKey is { Length: 0 })
        {
            ApiKey = null;
        }
        if (ApiKeyFile is { Length: 0 })
        {
            ApiKeyFile = null;
        }
        if (ApiKey is not null && ApiKeyFile is not null)
        {
            throw new ArgumentException("set Server:ApiKey or Server:ApiKeyFile, not both.", "Server:ApiKeyFile");
        }
        ReadApiKeys = [.. ReadApiKeys.Where(k => k.Length > 0).Distinct(StringComparer.Ordinal)];
        if (ReadApiKeys.Length > 0 && ApiKey is null && ApiKeyFile is null)
        {
            throw new ArgumentException("Server:ReadApiKeys need an admin key (Server:ApiKey or Server:ApiKeyFile) for everything else.",
                "Server:ReadApiKeys");
        }
        if (ApiKey is not null && ReadApiKeys.Contains(ApiKey, StringComparer.Ordinal))
        {
            throw new ArgumentException("a key in Server:ReadApiKeys is also the admin key.", "Server:ReadApiKeys");
        }
    }

    private void ValidateLimits()
    {
        if (RateLimitPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException("Server:RateLimitPerSecond", RateLimitPerSecond,
                $"Server:RateLimitPerSecond must not be negative, not {RateLimitPerSecond}.");
        }
        if (RateLimitBurst < 0)
        {
            throw new ArgumentOutOfRangeException("Server:RateLimitBurst", RateLimitBurst, $"Server:RateLimitBurst must not be negative, not {RateLimitBurst}.");
        }
        if (MaxConcurrentRequests < 0)
        {
            throw new ArgumentOutOfRangeException("Server:MaxConcurrentRequests", MaxConcurrentRequests,
                $"Server:MaxConcurrentRequests must not be negative, not {MaxConcurrentRequests}.");
        }
        if (MaxQueuedRequests < 0)
        {
            throw new ArgumentOutOfRangeException("Server:MaxQueuedRequests", MaxQueuedRequests,
                $"Server:MaxQueuedRequests must not be negative, not {MaxQueuedRequests}.");
        }
        if (QueueDelayTarget < TimeSpan.Zero || QueueDelayTarget > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException("Server:QueueDelayTarget", QueueDelayTarget,
                $"Server:QueueDelayTarget must be within 00:00:00..00:00:10 (zero: off), not {QueueDelayTarget}.");
        }
        if (QueueDelayInterval < TimeSpan.FromMilliseconds(1) || QueueDelayInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException("Server:QueueDelayInterval", QueueDelayInterval,
                $"Server:QueueDelayInterval must be within 00:00:00.001..00:01:00, not {QueueDelayInterval}.");
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
    }
}
