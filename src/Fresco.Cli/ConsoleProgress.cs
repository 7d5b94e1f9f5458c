using Fresco.Core.Models;

namespace Fresco.Cli;

/// <summary>
/// Progress on stderr: on a terminal one line rewritten in place, otherwise plain lines. Thread-safe (reports
/// may come from worker threads).
/// </summary>
internal sealed class ConsoleProgress : IProgress<string>, IProgress<TrainingProgress>, IDisposable
{
    private readonly Lock _lock = new();
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private int _lastLength;

    public void Report(string value)
    {
        lock (_lock)
        {
            if (_inPlace)
            {
                var text = value.Length > 119 ? value[..119] : value;
                Console.Error.Write($"\r{text}{new string(' ', Math.Max(0, _lastLength - text.Length))}");
                _lastLength = text.Length;
            }
            else
            {
                Console.Error.WriteLine(value);
            }
        }
    }

    public void Report(TrainingProgress value) =>
        Report(value.Loss is { } loss
            ? $"{value.Stage} {value.Step}/{value.Steps} loss {loss:G5}"
            : $"{value.Stage} {value.Step}/{value.Steps}");

    /// <summary>Ends the in-place line so that later output starts on its own line.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_inPlace && _lastLength > 0)
            {
                Console.Error.Write($"\r{new string(' ', _lastLength)}\r");
                _lastLength = 0;
            }
        }
    }
}
