using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>
/// Monthly partitions of <c>feedback</c>, named <c>feedback_pYYYYMM</c> and covering [first instant of the month UTC,
/// first instant of the next). The writer creates the partition of a month before the first group that writes into
/// it, when that month lies in the window [now - <see cref="PostgresStoreOptions.PartitionMonthsBack"/>, now +
/// <see cref="PostgresStoreOptions.PartitionMonthsAhead"/>] and is not expired; a maintenance loop keeps the months ahead
/// ready. Creation is best effort: under <see cref="PostgresStoreOptions.PartitionLockTimeout"/> (a long reader holds a
/// lock), or when the default partition already holds rows of that month, it gives up and the rows go to the default
/// partition, so no write ever fails for lack of a partition.
/// </summary>
public sealed partial class PostgresStore
{
    private const string PartitionPrefix = "feedback_p";

    private static readonly TimeSpan s_retryAfterLockTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Months known to have a partition (written by the writer loop, read by callers).</summary>
    private readonly ConcurrentDictionary<int, byte> _months = new();

    /// <summary>Months whose creation failed, with when to try again (writer loop only).</summary>
    private readonly Dictionary<int, DateTimeOffset> _monthRetry = [];

    private readonly CancellationTokenSource _maintenanceStop = new();
    private Task? _maintenance;

    /// <summary>A month as a number: year * 12 + (month - 1), in UTC.</summary>
    internal static int MonthOf(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return (utc.Year * 12) + utc.Month - 1;
    }

    internal static DateTimeOffset MonthStart(int month) => new(month / 12, (month % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static string PartitionName(int month) =>
        string.Create(CultureInfo.InvariantCulture, $"{PartitionPrefix}{month / 12:D4}{(month % 12) + 1:D2}");

    private static bool TryParsePartition(string name, out int month)
    {
        month = 0;
        return name.Length == PartitionPrefix.Length + 6 && name.StartsWith(PartitionPrefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(PartitionPrefix.Length, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(name.AsSpan(PartitionPrefix.Length + 4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && year is >= 1 and <= 9999 && m is >= 1 and <= 12
            && (month = (year * 12) + m - 1) >= 0;
    }

    /// <summary>The months whose partition a write may create now: [first, last].</summary>
    private (int First, int Last) PartitionWindow()
    {
        var now = _options.TimeProvider.GetUtcNow();
        var current = MonthOf(now);
        var first = current - _options.PartitionMonthsBack;
        if (_options.FeedbackTtl is { } ttl)
        {
            first = Math.Max(first, MonthOf(now - ttl)); // the month holding the cutoff still has live rows
        }

        return (first, current + _options.PartitionMonthsAhead);
    }

    /// <summary>The months of <paramref name="batch"/> in the window without a known partition; null when none.</summary>
    private int[]? MissingMonths(IReadOnlyList<Engine.Storage.Feedback> batch)
    {
        var (first, last) = PartitionWindow();
        List<int>? missing = null;
        var previous = -1;
        foreach (var f in batch)
        {
            var month = MonthOf(f.Timestamp);
            if (month == previous)
            {
                continue;
            }

            previous = month;
            if (month >= first && month <= last && !_months.ContainsKey(month) && !(missing?.Contains(month) ?? false))
            {
                (missing ??= []).Add(month);
            }
        }

        return missing?.ToArray();
    }

    /// <summary>Months that have a partition in the database (partitions named another way are left alone).</summary>
    private static async Task<List<(string Name, int Month)>> ListPartitionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'feedback'::regclass
            """, transaction);
        var partitions = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            if (TryParsePartition(name, out var month))
            {
                partitions.Add((name, month));
            }
        }

        return partitions;
    }

    private async Task LoadPartitionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (_, month) in await ListPartitionsAsync(connection, null, cancellationToken).ConfigureAwait(false))
        {
            _months.TryAdd(month, 0);
        }
    }

    /// <summary>Before a group runs: creates the partitions its writes asked for, each in its own short transaction.</summary>
    private async Task EnsurePartitionsAsync(NpgsqlConnection writer, IReadOnlyList<PostgresWrite> group)
    {
        SortedSet<int>? wanted = null;
        foreach (var request in group)
        {
            if (request.Months is { } months)
            {
                foreach (var month in months)
                {
                    if (!_months.ContainsKey(month))
                    {
                        (wanted ??= []).Add(month);
                    }
                }
            }
        }

        if (wanted is null)
        {
            return;
        }

        var now = _options.TimeProvider.GetUtcNow();
        foreach (var month in wanted)
        {
            if (_monthRetry.TryGetValue(month, out var retryAt) && now < retryAt)
            {
                continue;
            }

            try
            {
                await CreatePartitionAsync(writer, month).ConfigureAwait(false);
                _months.TryAdd(month, 0);
                _monthRetry.Remove(month);
            }
            catch (PostgresException e)
            {
                // 55P03: lock timeout (try again soon); 23514 and others: rows of the month already in the default partition.
                _monthRetry[month] = e.SqlState == PostgresErrorCodes.LockNotAvailable ? now + s_retryAfterLockTimeout : DateTimeOffset.MaxValue;
                PartitionLog.CreateFailed(_options.Logger, PartitionName(month), e.MessageText);
            }
        }
    }

    private async Task CreatePartitionAsync(NpgsqlConnection writer, int month)
    {
        var name = PartitionName(month);
        var from = MonthStart(month).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = MonthStart(month + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var transaction = await writer.BeginTransactionAsync().ConfigureAwait(false);
        await LockDdlAsync(writer, transaction, CancellationToken.None).ConfigureAwait(false);
        // LIKE + ATTACH takes a lighter lock on the parent than CREATE TABLE ... PARTITION OF; ATTACH adds the indexes.
        await ExecuteAsync(writer, transaction, $"""
            DO $$ BEGIN
                IF to_regclass('{name}') IS NULL THEN
                    CREATE TABLE {name} (LIKE feedback INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
                    ALTER TABLE feedback ATTACH PARTITION {name} FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00');
                END IF;
            END $$
            """, CancellationToken.None).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>Serializes partition DDL between processes and bounds its lock waits, for the rest of the transaction.</summary>
    private Task LockDdlAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            $"SELECT set_config('lock_timeout', @timeout, true), pg_advisory_xact_lock({PostgresSchema.DdlLock})", cancellationToken,
            ("timeout", ((long)_options.PartitionLockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms"));

    /// <summary>
    /// Drops every monthly partition whose last instant is older than <see cref="PostgresStoreOptions.FeedbackTtl"/>, and
    /// the default partition's rows older than it, with their keys (so those keys can be written again). A partition
    /// only partly expired stays until its whole month is. Runs as one write (after the writes queued before it) and
    /// fails with a <see cref="PostgresException"/> when a lock is not granted within
    /// <see cref="PostgresStoreOptions.PartitionLockTimeout"/>. Returns the number of partitions dropped; 0 without a TTL.
    /// </summary>
    public async Task<int> DropExpiredPartitionsAsync(CancellationToken cancellationToken = default)
    {
        if (_options.FeedbackTtl is not { } ttl)
        {
            return 0;
        }

        var cutoff = _options.TimeProvider.GetUtcNow() - ttl;
        var dropped = await WriteAsync(async (connection, transaction) =>
        {
            await LockDdlAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false);
            var gone = new List<int>();
            foreach (var (name, month) in await ListPartitionsAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false))
            {
                if (MonthStart(month + 1) <= cutoff)
                {
                    await ExecuteAsync(connection, transaction, $"""
                        DELETE FROM feedback_keys k USING {name} p
                        WHERE k.user_id = p.user_id AND k.item_id = p.item_id AND k.feedback_type = p.feedback_type AND k.seq = p.seq;
                        DROP TABLE {name};
                        """, CancellationToken.None).ConfigureAwait(false);
                    gone.Add(month);
                }
            }

            await ExecuteAsync(connection, transaction, """
                WITH gone AS (DELETE FROM feedback_default WHERE ts < @cutoff RETURNING user_id, item_id, feedback_type, seq)
                DELETE FROM feedback_keys k USING gone g
                WHERE k.user_id = g.user_id AND k.item_id = g.item_id AND k.feedback_type = g.feedback_type AND k.seq = g.seq;
                SET LOCAL lock_timeout = DEFAULT;
                """, CancellationToken.None, ("cutoff", cutoff)).ConfigureAwait(false);
            return gone;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var month in dropped)
        {
            _months.TryRemove(month, out _);
        }

        return dropped.Count;
    }

    /// <summary>Creates the partitions of the months ahead (through the writer) and drops expired ones.</summary>
    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var (first, last) = PartitionWindow();
        var current = MonthOf(_options.TimeProvider.GetUtcNow());
        var ahead = Enumerable.Range(Math.Max(first, current), Math.Max(0, last - Math.Max(first, current) + 1))
            .Where(m => !_months.ContainsKey(m)).ToArray();
        if (ahead.Length > 0)
        {
            await WriteAsync((_, _) => Task.FromResult(0), cancellationToken, ahead).ConfigureAwait(false);
        }

        try
        {
            await DropExpiredPartitionsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            PartitionLog.DropFailed(_options.Logger, e.MessageText);
        }

        await TrimChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private void StartMaintenance() => _maintenance = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_maintenanceStop.Token).ConfigureAwait(false))
            {
                try
                {
                    await MaintainAsync(_maintenanceStop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or ObjectDisposedException)
                {
                    PartitionLog.DropFailed(_options.Logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    });

    private async Task StopMaintenanceAsync()
    {
        await _maintenanceStop.CancelAsync().ConfigureAwait(false);
        if (_maintenance is not null)
        {
            await _maintenance.ConfigureAwait(false);
        }

        _maintenanceStop.Dispose();
    }
}
