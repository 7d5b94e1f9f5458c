using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fresco.Server.Configuration;

/// <summary>
/// The files the <c>Server</c> section names: the admin key file and the TLS certificate. Read at start-up, so a
/// missing or unreadable file stops the server with one line naming the setting. Thread-safe (stateless).
/// </summary>
public static class ServerFiles
{
    /// <summary>Sets <see cref="FrescoServerOptions.ApiKey"/> from the first line of <see cref="FrescoServerOptions.ApiKeyFile"/>.</summary>
    public static void ReadApiKeyFile(FrescoServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.ApiKeyFile is not { } path)
        {
            return;
        }
        string? key;
        try
        {
            key = File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Server:ApiKeyFile '{path}' cannot be read: {e.Message}", e);
        }
        if (string.IsNullOrEmpty(key))
        {
            throw new ConfigurationException($"Server:ApiKeyFile '{path}' is empty; its first line is the admin key.");
        }
        if (server.ReadApiKeys.Contains(key, StringComparer.Ordinal))
        {
            throw new ConfigurationException("a key in Server:ReadApiKeys is also the admin key.");
        }
        server.ApiKey = key;
    }

    /// <summary>
    /// The certificate of <see cref="FrescoServerOptions.CertificatePath"/> with its private key (a <c>.pfx</c> or
    /// <c>.p12</c> file is PKCS#12, anything else PEM), or null when none is configured. The caller disposes it.
    /// </summary>
    public static X509Certificate2? LoadCertificate(FrescoServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.CertificatePath is not { } path)
        {
            return null;
        }
        X509Certificate2 certificate;
        try
        {
            var keyPath = string.IsNullOrEmpty(server.CertificateKeyPath) ? null : server.CertificateKeyPath;
            var password = string.IsNullOrEmpty(server.CertificatePassword) ? null : server.CertificatePassword;
            certificate = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".pfx" or ".p12" => X509CertificateLoader.LoadPkcs12FromFile(path, password),
                _ when password is not null => X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath),
                _ => X509Certificate2.CreateFromPemFile(path, keyPath),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigurationException($"Server:CertificatePath '{path}' cannot be loaded: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ConfigurationException($"Server:CertificatePath '{path}' has no private key (set Server:CertificateKeyPath).");
        }
        return certificate;
    }
}
