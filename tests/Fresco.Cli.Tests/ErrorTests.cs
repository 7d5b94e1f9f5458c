using Xunit;

namespace Fresco.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ErrorTests
{
    private static void AssertOneLineError(CliRun run, int exitCode, string contains)
    {
        Assert.Equal(exitCode, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("fresco: error: ", StringComparison.Ordinal));
        Assert.Contains(contains, line);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task UnknownModelOptionListsTheValidOnes()
    {
        using var folder = new TempFolder();
        var run = await CliRun.Invoke("train", "--data", folder.WriteEvents(), "--model", "popularity", "--set", "bogus=3", "--output", folder.PathOf("m.bin"));
        AssertOneLineError(run, 2, "Unknown option 'bogus'. Valid options: half_life_days");
        Assert.Contains("count_users", run.Error);
        Assert.False(File.Exists(folder.PathOf("m.bin")));
    }

    [Fact]
    public async Task BadOptionValueAndUnknownModelAreUsageErrors()
    {
        using var folder = new TempFolder();
        var data = folder.WriteEvents();
        AssertOneLineError(await CliRun.Invoke("train", "--data", data, "--model", "popularity", "--set", "half_life_days=-1", "-o", folder.PathOf("m")), 2, "half_life_days");
        AssertOneLineError(await CliRun.Invoke("train", "--data", data, "--model", "nope", "-o", folder.PathOf("m")), 2, "Known models: popularity");
        AssertOneLineError(await CliRun.Invoke("train", "--data", data, "--model", "popularity", "--weights", "view", "-o", folder.PathOf("m")), 2, "type=weight");
        AssertOneLineError(await CliRun.Invoke("eval", "--data", data, "--model", "popularity", "--k", "ten"), 2, "--k");
        AssertOneLineError(await CliRun.Invoke("eval", "--data", data, "--model", "als", "--tune", "--on-validation"), 2, "--on-validation");
        AssertOneLineError(await CliRun.Invoke("eval", "--data", data, "--model", "auto", "--on-validation"), 2, "--on-validation");
    }

    [Fact]
    public async Task TheTemporalProtocolOnAFileWithoutTimestampsIsAUsageError()
    {
        using var folder = new TempFolder();
        var data = folder.Write("plain.csv", "a,hit,1\na,low,1\nb,hit,1\nb,mid,2\nc,hit,1\nc,mid,2\nd,hit,1\nd,mid,2\n");
        var run = await CliRun.Invoke("eval", "--data", data, "--model", "popularity", "--protocol", "temporal");
        AssertOneLineError(run, 2, "--protocol temporal needs timestamps, and plain has none");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task MissingFileGivesOneLine()
    {
        using var folder = new TempFolder();
        var missing = folder.PathOf("missing.csv");
        AssertOneLineError(await CliRun.Invoke("train", "--data", missing, "--model", "popularity", "-o", folder.PathOf("m")), 2, missing);
        AssertOneLineError(await CliRun.Invoke("recommend", "--model-file", folder.PathOf("none.bin"), "--user", "a"), 2, "none.bin");
    }

    [Fact]
    public async Task UnreadableDataAndParseErrorsExitWithTwo()
    {
        using var folder = new TempFolder();
        var empty = folder.Write("empty.txt", "");
        AssertOneLineError(await CliRun.Invoke("import", "--data", empty, "--data-dir", folder.PathOf("s")), 2, "empty.txt");
        AssertOneLineError(await CliRun.Invoke("train", "--model", "popularity"), 2, "--data");
        AssertOneLineError(await CliRun.Invoke("eval", "--data", empty, "--model", "popularity", "--no-such-flag"), 2, "--no-such-flag");
        AssertOneLineError(await CliRun.Invoke("recommend", "--model-file", empty, "--user", "a"), 2, "bad magic");
    }

    [Fact]
    public async Task TimeWindowOnDataWithoutTimestampsIsAUsageError()
    {
        using var folder = new TempFolder();
        var data = folder.Write("seq.txt", "u 1 2 3\nv 2 3\n");
        AssertOneLineError(await CliRun.Invoke("import", "--data", data, "--time-window-days", "7", "--data-dir", folder.PathOf("s")), 2, "needs timestamps");
        AssertOneLineError(await CliRun.Invoke("import", "--data", data, "--time-window-days", "0", "--data-dir", folder.PathOf("s")), 2, "--time-window-days");
        AssertOneLineError(await CliRun.Invoke("import", "--data", data, "--format", "csv", "--data-dir", folder.PathOf("s")), 2, "Known formats");
    }

    [Fact]
    public async Task HelpIsNotAnError()
    {
        var run = await CliRun.Invoke("train", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--output", run.Out);
        Assert.Contains(".ids", run.Out);
    }
}
