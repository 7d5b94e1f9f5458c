using Microsoft.Extensions.Logging;

namespace Fresco.Server.Http;

/// <summary>The server's own log messages. Thread-safe (stateless).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "Listening on {Host}, beyond this machine, with no API key: anyone who can reach the port can write and read everything (set Server:ApiKey or --api-key-file)")]
    public static partial void OpenBeyondLoopback(ILogger logger, string host);
}
