using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Fresco.Cli.Tests;

/// <summary>
/// The real `fresco serve` as a child process (the fresco.dll built next to the tests) on a free port and a data
/// folder; <see cref="Kill"/> is a SIGKILL. Disposing kills it if still running. Not thread-safe.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServerProcess> StartAsync(string dataDir, CancellationToken cancellationToken)
    {
        var fresco = Path.Combine(AppContext.BaseDirectory, "fresco.dll");
        Assert.True(File.Exists(fresco), $"{fresco} is missing: build tests/Fresco.Cli.Tests first");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { fresco, "serve", "--port", "0", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Fresco__Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (log)
            {
                log.AppendLine(e.Data);
            }
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(cancellationToken);
        var winner = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60), cancellationToken)); // generous: a loaded machine starts slowly
        if (winner != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            lock (log)
            {
                Assert.Fail($"fresco serve did not start: {log}");
            }
        }
        var server = new ServerProcess(process, await listening.Task);
        await server.WaitReadyAsync(cancellationToken);
        return server;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await client.GetAsync("/api/health/ready", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not ready: {(int)response.StatusCode}");
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^fresco: listening on (http://\S+?)[,\s]")]
    private static partial Regex Listening();
}
