using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Training;

/// <summary>Log messages of background training. Thread-safe (static).</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(1, LogLevel.Information, "Training run started ({Reason})")]
    public static partial void Started(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information,
        "Training run finished in {Seconds:F1} s: {Kind} on {Users} users x {Items} items, version {Version} promoted={Promoted} ({Reason})")]
    public static partial void Finished(ILogger logger, double seconds, string kind, int users, int items, long version, bool promoted, string reason);

    [LoggerMessage(3, LogLevel.Error, "Training run failed after {Seconds:F1} s; the serving model stays")]
    public static partial void Failed(ILogger logger, double seconds, Exception exception);
}
