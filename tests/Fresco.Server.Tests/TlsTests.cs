using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fresco.Engine;
using Fresco.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fresco-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A self-signed certificate for localhost written as PEM certificate and key files; returns it too.</summary>
    private X509Certificate2 MakeCertificate(out string certificatePath, out string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        certificatePath = Path.Combine(_folder, "server.crt");
        keyPath = Path.Combine(_folder, "server.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    [Fact]
    public async Task WithACertificateTheServerSpeaksHttpsWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = MakeCertificate(out var certificatePath, out var keyPath);
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Server:Port"] = "0",
            ["Server:CertificatePath"] = certificatePath,
            ["Server:CertificateKeyPath"] = keyPath,
        };
        var settings = FrescoConfiguration.Bind(FrescoConfiguration.Build(null, overrides, useEnvironment: false, workingDirectory: AppContext.BaseDirectory));
        var engine = new FakeEngine();
        await using var app = await FrescoServer.BuildAsync(settings, (_, _, _, _) => Task.FromResult<IFrescoEngine>(engine), cancellationToken: ct);
        await app.StartAsync(ct);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);

        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
            {
                seen = presented?.Thumbprint;
                return presented?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health/live", ct)).StatusCode);
        Assert.Equal(certificate.Thumbprint, seen);

        using var plain = new HttpClient { BaseAddress = new Uri(url.Replace("https://", "http://", StringComparison.Ordinal)) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/api/health/live", ct));
        await app.StopAsync(ct);
    }

    [Fact]
    public void AMissingOrKeylessCertificateStopsStartUpNamingTheSetting()
    {
        using var certificate = MakeCertificate(out var certificatePath, out _);
        var missing = Assert.Throws<ConfigurationException>(() => Load(("Server:CertificatePath", Path.Combine(_folder, "none.pem"))));
        Assert.Contains("Server:CertificatePath", missing.Message, StringComparison.Ordinal);
        var keyless = Assert.Throws<ConfigurationException>(() => Load(("Server:CertificatePath", certificatePath)));
        Assert.Contains("Server:CertificatePath", keyless.Message, StringComparison.Ordinal);
    }

    private static FrescoSettings Load(params (string Key, string? Value)[] settings) =>
        FrescoConfiguration.Bind(FrescoConfiguration.Build(null, settings.ToDictionary(s => s.Key, s => s.Value), useEnvironment: false,
            workingDirectory: AppContext.BaseDirectory));
}
