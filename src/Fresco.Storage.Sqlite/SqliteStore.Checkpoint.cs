using Microsoft.Data.Sqlite;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// WAL checkpoints off the writer thread. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL
/// pages, so the writer (and every write waiting for its group) stops while pages are copied into the database file
/// and that file is synced: about a quarter of the writer's time under sustained ingestion (store bench: 47k
/// events/s with it, 64-67k without). Here the writer connection has automatic checkpoints off, and a checkpoint
/// thread with its own connection runs a PASSIVE checkpoint after commits, concurrently with the next group (WAL
/// mode lets a checkpoint and a writer run together). Durability is unchanged: a commit is durable once its WAL
/// frames are synced, whenever they are checkpointed. Should the WAL still grow past <see cref="WalRestartPages"/>
/// (a checkpoint never caught up between commits), the writer itself runs one RESTART checkpoint so the file starts
/// over. A checkpoint that fails (busy readers, I/O, a full disk) never fails a write: it is counted
/// (<see cref="SqliteStoreMetrics"/>) and logged (the first failure of a run, then the recovery), and runs again after
/// the next commit.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>WAL size (pages, 4 KiB each) at which the writer restarts the WAL itself.</summary>
    private const int WalRestartPages = 16_384;

    private const string Passive = "passive";
    private const string Restart = "restart";

    private readonly AutoResetEvent _checkpointDue = new(false);
    private SqliteConnection? _checkpointConnection;
    private Thread? _checkpointThread;
    private volatile bool _checkpointStopping;
    private volatile bool _walTooLarge;
    private long _passiveFailures; // consecutive, checkpoint thread only
    private long _restartFailures; // consecutive, writer thread only

    /// <summary>Test hook: runs before each checkpoint with its mode; a <see cref="SqliteException"/> it throws is a failed checkpoint.</summary>
    internal Action<string>? CheckpointFault { get; set; }

    private void StartCheckpointer(string writeConnectionString)
    {
        _checkpointConnection = new SqliteConnection(writeConnectionString);
        _checkpointConnection.Open();
        using (var command = Command(_checkpointConnection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 0;"))
        {
            command.ExecuteNonQuery();
        }
        _checkpointThread = new Thread(CheckpointLoop) { IsBackground = true, Name = "fresco-sqlite-checkpoint" };
        _checkpointThread.Start();
    }

    /// <summary>Called by the writer thread after each commit, once its callers have their answers.</summary>
    private void AfterCommit()
    {
        _checkpointDue.Set();
        if (!_walTooLarge)
        {
            return;
        }
        _walTooLarge = false;
        try
        {
            CheckpointFault?.Invoke(Restart);
            using var restart = Command(_writer, "PRAGMA wal_checkpoint(RESTART)");
            restart.ExecuteNonQuery();
            CheckpointSucceeded(Restart, ref _restartFailures);
        }
        catch (SqliteException e)
        {
            // Readers kept the WAL busy (or I/O failed): the checkpoint thread reports the size again after a later commit.
            CheckpointFailed(Restart, ref _restartFailures, e);
        }
    }

    private void CheckpointLoop()
    {
        using var checkpoint = Command(_checkpointConnection!, "PRAGMA wal_checkpoint(PASSIVE)");
        while (true)
        {
            _checkpointDue.WaitOne();
            if (_checkpointStopping)
            {
                return;
            }
            try
            {
                CheckpointFault?.Invoke(Passive);
                using (var reader = checkpoint.ExecuteReader())
                {
                    if (reader.Read() && reader.GetInt64(1) >= WalRestartPages)
                    {
                        _walTooLarge = true; // columns: busy, WAL pages, pages checkpointed
                    }
                }
                CheckpointSucceeded(Passive, ref _passiveFailures);
            }
            catch (SqliteException e)
            {
                // A checkpoint that cannot run now (busy, I/O) is retried after the next commit; data is safe in the WAL.
                CheckpointFailed(Passive, ref _passiveFailures, e);
            }
        }
    }

    private void CheckpointFailed(string mode, ref long failures, SqliteException error)
    {
        _metrics.CheckpointFailed(mode);
        if (failures++ == 0)
        {
            SqliteLog.CheckpointFailed(_logger, mode, error);
        }
    }

    private void CheckpointSucceeded(string mode, ref long failures)
    {
        if (failures > 0)
        {
            SqliteLog.CheckpointRecovered(_logger, mode, failures);
            failures = 0;
        }
    }

    private void StopCheckpointer()
    {
        _checkpointStopping = true;
        _checkpointDue.Set();
        _checkpointThread?.Join();
        _checkpointConnection?.Dispose();
        _checkpointDue.Dispose();
    }
}
