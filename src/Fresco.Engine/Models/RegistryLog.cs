using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Models;

/// <summary>Log messages of <see cref="ModelRegistry"/>. Thread-safe (stateless).</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(1, LogLevel.Error, "Model version {Version} could not be loaded (its stored content is missing or damaged)")]
    public static partial void VersionUnloadable(ILogger logger, long version, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Serving model version {Version} instead of version {Broken}, the stored serving version, which could not be loaded")]
    public static partial void ServingFallback(ILogger logger, long version, long broken);

    [LoggerMessage(3, LogLevel.Error, "No stored model version could be loaded in place of serving version {Broken}: serving without a model until the next training")]
    public static partial void NoModelLoads(ILogger logger, long broken);
}
