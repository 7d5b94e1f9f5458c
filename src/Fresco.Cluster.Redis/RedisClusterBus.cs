using System.Numerics;
using Fresco.Engine.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Fresco.Cluster.Redis;

/// <summary>
/// The cluster bus over Redis pub/sub (StackExchange.Redis): each batch is one binary frame (<see cref="ChangeBatchFormat"/>) on one channel, delivered
/// in publish order to every subscribed node (a <see cref="ChannelMessageQueue"/>, processed sequentially). Redis keeps
/// nothing: a node that is disconnected misses messages, which its change feed then catches up. The connection is made
/// lazily and re-made in the background (<c>abortConnect=false</c>), so a node starts and serves while Redis is down,
/// and resumes without a restart when it returns. Thread-safe.
/// </summary>
public sealed partial class RedisClusterBus : IClusterBus
{
    private readonly ConnectionMultiplexer _connection;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;
    private ChannelMessageQueue? _queue;
    private int _disposed;
    private long _badMessages;

    private RedisClusterBus(ConnectionMultiplexer connection, string channel, ILogger logger)
    {
        _connection = connection;
        _channel = RedisChannel.Literal(channel);
        _logger = logger;
        _connection.ConnectionFailed += (_, e) => LogConnection(_logger, "lost", e.EndPoint?.ToString() ?? "", e.FailureType.ToString());
        _connection.ConnectionRestored += (_, e) => LogConnection(_logger, "restored", e.EndPoint?.ToString() ?? "", e.FailureType.ToString());
    }

    /// <summary>
    /// Connects to Redis (<paramref name="configuration"/>: a StackExchange.Redis configuration string, e.g.
    /// "127.0.0.1:6379,password=..."), without failing when Redis is down now. <paramref name="channel"/> names the
    /// cluster: nodes on one channel are one cluster.
    /// </summary>
    public static async Task<RedisClusterBus> ConnectAsync(string configuration, string channel = "fresco:changes", ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "fresco";
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.ReconnectRetryPolicy ??= new LinearRetry(500);
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        return new RedisClusterBus(connection, channel, logger ?? NullLogger.Instance);
    }

    public bool IsConnected => _connection.IsConnected;

    public void Publish(ChangeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!_connection.IsConnected)
        {
            return; // the change feed carries it
        }
        try
        {
            _connection.GetSubscriber().Publish(_channel, ChangeBatchFormat.Encode(batch),
                CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Lost on the fast path only: the change feed carries it.
        }
    }

    public async Task SubscribeAsync(Action<ChangeBatch> receive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _queue = await _connection.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
        _queue.OnMessage(message =>
        {
            ChangeBatch batch;
            try
            {
                batch = ChangeBatchFormat.Decode(((ReadOnlyMemory<byte>)message.Message).Span);
            }
            catch (FormatException e)
            {
                // A frame of another version (nodes mid-upgrade) or not ours: the change feed carries it. Logged at the 1st, 2nd,
                // 4th, 8th... so that an upgrade does not flood the log.
                if (BitOperations.IsPow2(Interlocked.Increment(ref _badMessages)))
                {
                    LogBadMessage(_logger, _badMessages, e);
                }
                return;
            }
            receive(batch);
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_queue is not null)
        {
            await _queue.UnsubscribeAsync().ConfigureAwait(false);
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(301, LogLevel.Warning, "Redis connection {State} ({Endpoint}, {Failure})")]
    private static partial void LogConnection(ILogger logger, string state, string endpoint, string failure);

    [LoggerMessage(302, LogLevel.Warning, "Messages on the cluster bus that did not parse (a node of another version?): {Count} so far; ignored, the change log carries them")]
    private static partial void LogBadMessage(ILogger logger, long count, Exception exception);
}
