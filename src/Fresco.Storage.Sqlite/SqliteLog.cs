using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Fresco.Storage.Sqlite;

/// <summary>Log messages of <see cref="SqliteStore"/>. Thread-safe (stateless).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(1, LogLevel.Warning,
        "WAL checkpoint ({Mode}) failed (SQLite error {ErrorCode}); retried after each commit, committed data stays in the WAL, which grows until one succeeds")]
    private static partial void LogCheckpointFailed(ILogger logger, string mode, int errorCode, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "WAL checkpoint ({Mode}) succeeded again after {Failures} failures")]
    private static partial void LogCheckpointRecovered(ILogger logger, string mode, long failures);

    public static void CheckpointFailed(ILogger? logger, string mode, SqliteException error)
    {
        if (logger is not null)
        {
            LogCheckpointFailed(logger, mode, error.SqliteErrorCode, error);
        }
    }

    public static void CheckpointRecovered(ILogger? logger, string mode, long failures)
    {
        if (logger is not null)
        {
            LogCheckpointRecovered(logger, mode, failures);
        }
    }
}
