using Microsoft.Extensions.Logging;

namespace Fresco.Storage.Postgres;

/// <summary>Log messages of <see cref="PostgresStore"/>'s partition maintenance. Thread-safe (stateless).</summary>
internal static partial class PartitionLog
{
    [LoggerMessage(1, LogLevel.Warning, "Partition {Partition} was not created ({Reason}); its feedback goes to the default partition")]
    private static partial void LogCreateFailed(ILogger logger, string partition, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Partition maintenance failed ({Reason}); it runs again at the next interval")]
    private static partial void LogDropFailed(ILogger logger, string reason);

    public static void CreateFailed(ILogger? logger, string partition, string reason)
    {
        if (logger is not null)
        {
            LogCreateFailed(logger, partition, reason);
        }
    }

    public static void DropFailed(ILogger? logger, string reason)
    {
        if (logger is not null)
        {
            LogDropFailed(logger, reason);
        }
    }
}
