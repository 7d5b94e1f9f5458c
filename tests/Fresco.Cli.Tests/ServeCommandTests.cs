using Fresco.Server;
using Xunit;

namespace Fresco.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ServeCommandTests
{
    private static readonly CreateEngine s_unreachable = (_, _, _, _) => throw new InvalidOperationException("the engine must not be created");

    private static void AssertUsageError(CliRun run, string contains)
    {
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("fresco: error: ", line);
        Assert.Contains(contains, line);
    }

    [Fact]
    public async Task HelpListsTheFlags()
    {
        var run = await CliRun.Invoke(s_unreachable, ["serve", "--help"]);
        Assert.Equal(0, run.ExitCode);
        foreach (var flag in new[] { "--port", "--host", "--data-dir", "--api-key", "--api-key-file", "--read-api-key", "--config" })
        {
            Assert.Contains(flag, run.Out);
        }
    }

    [Fact]
    public async Task InvalidSettingsExitWithTwoAndOneLine()
    {
        using var folder = new TempFolder();
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--port", "70000"]), "Server:Port must be within 0..65535");
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--port", "eighty"]), "--port");
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--config", folder.PathOf("none.json")]), "none.json");
        var config = folder.Write("bad.json", "// a comment\n{ \"Recommend\": { \"MaxN\": 0 } }");
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--config", config]), "Recommend:MaxN must be at least 1");
        var typo = folder.Write("typo.json", "{ \"Live\": { \"Weights\": { \"view\": \"heavy\" } } }");
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--config", typo]), "Live:Weights:view");
    }

    [Fact]
    public async Task KeysComeFromAFileAndRepeatedReadKeyFlagsAddToTheSettings()
    {
        using var folder = new TempFolder();
        var keyFile = folder.Write("admin.key", "admin-secret\n");
        var config = folder.Write("keys.json", "{ \"Server\": { \"ReadApiKeys\": [ \"from-file\" ] } }");
        FrescoServerOptions? seen = null;
        CreateEngine capture = (server, _, _, _) =>
        {
            seen = server;
            throw new IOException("stop here");
        };
        var run = await CliRun.Invoke(capture, ["serve", "--port", "0", "--data-dir", folder.PathOf("data"), "--config", config,
            "--api-key-file", keyFile, "--read-api-key", "shop-a", "--read-api-key", "shop-b"]);
        Assert.Equal(1, run.ExitCode);
        Assert.NotNull(seen);
        Assert.Equal("admin-secret", seen.ApiKey);
        Assert.Equal(["from-file", "shop-a", "shop-b"], seen.ReadApiKeys);
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--read-api-key", "shop"]), "Server:ReadApiKeys need an admin key");
        AssertUsageError(await CliRun.Invoke(s_unreachable, ["serve", "--api-key-file", folder.PathOf("none.key")]), "Server:ApiKeyFile");
    }

    [Fact]
    public async Task AnEngineThatFailsToStartExitsWithOne()
    {
        using var folder = new TempFolder();
        CreateEngine failing = (_, _, _, _) => throw new IOException("database is locked");
        var run = await CliRun.Invoke(failing, ["serve", "--port", "0", "--data-dir", folder.PathOf("data")]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("fresco: error: the server stopped: IOException: database is locked", run.Error);
    }

    [Fact]
    public async Task WithoutAnEngineThereIsNoServeCommand()
    {
        Assert.Equal(2, (await CliRun.Invoke("serve")).ExitCode);
    }
}
