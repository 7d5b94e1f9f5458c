using System.Data;
using Fresco.Engine.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The trainer lease as a PostgreSQL session advisory lock: the node whose dedicated connection holds it trains. The
/// server releases the lock when that session ends, so a dead holder (killed, cut off) loses it as soon as PostgreSQL
/// sees its connection close (at once for a killed process; within the TCP keepalive settings for a lost host), and
/// another node takes it at its next try (every <paramref name="retry"/>). The run lock is a second advisory lock held,
/// on a pooled connection, for one training run or rollback. Thread-safe.
/// </summary>
public sealed class PostgresTrainerLease : ITrainerLease
{
    private const long LeaseKey = 0x46524553_434F0002; // "FRESCO" + 2
    private const long RunKey = 0x46524553_434F0003;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _compete;
    private readonly TimeSpan _retry;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private NpgsqlConnection? _connection;
    private volatile bool _held;
    private int _disposed;

    /// <param name="connectionString">The store's database.</param>
    /// <param name="compete">False for a node that must never train (role "serve"): it never takes the lease.</param>
    /// <param name="retry">How often a node without the lease tries to take it, and a holder checks its connection.</param>
    /// <param name="logger">Where connection failures are reported.</param>
    public PostgresTrainerLease(string connectionString, bool compete, TimeSpan retry, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retry, TimeSpan.Zero);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The lease's connection must notice a dead server or network quickly, not after the OS's two hours.
        builder.ConnectionStringBuilder.KeepAlive = 5;
        builder.ConnectionStringBuilder.ApplicationName = "fresco-lease";
        _dataSource = builder.Build();
        _compete = compete;
        _retry = retry;
        _logger = logger ?? NullLogger.Instance;
        _loop = compete ? Task.Run(LoopAsync) : Task.CompletedTask;
    }

    public bool IsHeld => _held;

    public async Task<IAsyncDisposable> LockRunAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({RunKey})", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new RunLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _held = false;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false); // the session ends: PostgreSQL releases the lease
        }
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await TryHoldAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                if (_held)
                {
                    LeaseLog.Lost(_logger, e);
                }
                _held = false;
                if (_connection is not null)
                {
                    await _connection.DisposeAsync().ConfigureAwait(false);
                    _connection = null;
                }
            }
            await Task.Delay(_retry, token).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the lease when free; while held, checks that the session is alive.</summary>
    private async Task TryHoldAsync(CancellationToken cancellationToken)
    {
        if (_connection is not { State: ConnectionState.Open })
        {
            _held = false;
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
            _connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        var sql = _held ? "SELECT true" : $"SELECT pg_try_advisory_lock({LeaseKey})";
        await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = Math.Max(1, (int)_retry.TotalSeconds * 2) };
        _held = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private sealed class RunLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({RunKey})", connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The lease's log messages. Thread-safe (stateless).</summary>
internal static partial class LeaseLog
{
    [LoggerMessage(201, LogLevel.Warning, "The trainer lease's connection failed; the lease is lost until it can be taken again")]
    public static partial void Lost(ILogger logger, Exception exception);
}
