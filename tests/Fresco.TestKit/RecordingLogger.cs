using Microsoft.Extensions.Logging;

namespace Fresco.TestKit;

/// <summary>A logger that keeps every entry (level, event id, message) for assertions. Thread-safe.</summary>
public sealed class RecordingLogger : ILogger, ILoggerFactory, ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>One entry of a <see cref="RecordingLogger"/>.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);
