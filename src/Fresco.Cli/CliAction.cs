using Fresco.Core.Models;

namespace Fresco.Cli;

/// <summary>
/// Runs a command body and turns failures into one line on stderr: <c>fresco: error: ...</c>, exit code 2 for
/// a usage or input error (bad option, missing or unreadable file), 1 for a failure while running. Never
/// prints a stack trace. Thread-safe (static).
/// </summary>
internal static class CliAction
{
    public const int Ok = 0;
    public const int RuntimeError = 1;
    public const int UsageError = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is OptionException or ArgumentException or FormatException or FileNotFoundException
            or DirectoryNotFoundException or InvalidDataException)
        {
            return Fail(e.Message, UsageError);
        }
        catch (NotImplementedException e)
        {
            return Fail($"not implemented yet: {e.Message}", RuntimeError);
        }
        catch (OperationCanceledException)
        {
            return Fail("cancelled", RuntimeError);
        }
        catch (Exception e)
        {
            return Fail($"{e.GetType().Name}: {e.Message}", RuntimeError);
        }
    }

    public static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"fresco: error: {OneLine(message)}");
        return exitCode;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
