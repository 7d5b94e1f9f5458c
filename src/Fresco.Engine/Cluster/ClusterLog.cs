using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Cluster;

/// <summary>The cluster parts' log messages. Thread-safe (stateless).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(101, LogLevel.Warning, "Reading the change log failed; retrying (cross-node changes are delayed)")]
    public static partial void FeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(102, LogLevel.Information, "Reading the change log again")]
    public static partial void FeedRecovered(ILogger logger);

    [LoggerMessage(103, LogLevel.Error, "Changes from other nodes were trimmed from the change log before this node read them: restart this node to reload its state")]
    public static partial void FeedGap(ILogger logger);

    [LoggerMessage(104, LogLevel.Warning, "Applying {Count} changes from other nodes failed; retrying")]
    public static partial void ApplyFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(105, LogLevel.Warning, "Reporting this node to the cluster directory failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(106, LogLevel.Information, "Trainer lease {State} by node {Node}")]
    public static partial void Lease(ILogger logger, string state, string node);
}
