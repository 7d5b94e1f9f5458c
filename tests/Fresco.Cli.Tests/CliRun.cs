using Fresco.Server;

namespace Fresco.Cli.Tests;

/// <summary>Runs <c>fresco</c> in-process with the console captured.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    private static readonly SemaphoreSlim s_console = new(1, 1);

    public static Task<CliRun> Invoke(params string[] args) => Invoke(null, args);

    /// <summary>Runs with an engine factory, so that the `serve` command exists.</summary>
    public static async Task<CliRun> Invoke(CreateEngine? createEngine, string[] args)
    {
        await s_console.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            var exitCode = await FrescoCommand.RunAsync(args, createEngine);
            return new CliRun(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            s_console.Release();
        }
    }

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
