using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Fresco.Engine.Storage.Sqlite;

/// <summary>
/// Group commit for <see cref="SqliteStore"/>: one dedicated writer thread drains a queue of writes; all writes that
/// queued while the previous commit was in progress run in ONE transaction (one fsync), each inside its own savepoint
/// so a failing write rolls back alone. A caller's task completes only after the commit that contains its write.
/// The queue is bounded (<see cref="QueueCapacity"/> writes): when the disk cannot keep up, callers wait for room
/// (back-pressure) instead of growing memory without limit.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>Writes that may wait for the writer thread before callers are held back.</summary>
    public const int QueueCapacity = 4096;

    private const int MaxGroup = 1024;

    private readonly Channel<WriteRequest> _queue = Channel.CreateBounded<WriteRequest>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Writes queued and not yet picked up by the writer thread (ingestion back-log).</summary>
    public int QueueDepth => _queue.Reader.Count;

    private Thread? _writerThread;

    private void StartWriter()
    {
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "fresco-sqlite-writer" };
        _writerThread.Start();
    }

    /// <summary>Queues <paramref name="work"/> for the next group transaction; completes after its commit.</summary>
    /// <remarks>Cancellation takes effect only while the write is still queued; once started it runs to commit.</remarks>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new WriteRequest(tx => work(tx), cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            try
            {
                await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(SqliteStore));
            }
        }

        return (T)(await request.Done.Task.ConfigureAwait(false))!;
    }

    private void WriterLoop()
    {
        var group = new List<WriteRequest>();
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (group.Count < MaxGroup && reader.TryRead(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Done.TrySetCanceled(request.CancellationToken);
                }
                else
                {
                    group.Add(request);
                }
            }

            if (group.Count > 0)
            {
                RunGroup(group);
                group.Clear();
            }
        }
    }

    private void RunGroup(List<WriteRequest> group)
    {
        var results = new object?[group.Count];
        var failures = new Exception?[group.Count];
        try
        {
            using var transaction = _writer.BeginTransaction();
            for (var i = 0; i < group.Count; i++)
            {
                if (group.Count == 1)
                {
                    results[i] = group[i].Work(transaction); // alone: a failure rolls back the whole transaction
                    continue;
                }

                transaction.Save("w");
                try
                {
                    results[i] = group[i].Work(transaction);
                    transaction.Release("w");
                }
                catch (Exception e)
                {
                    transaction.Rollback("w");
                    transaction.Release("w");
                    failures[i] = e;
                }
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            group.ForEach(r => r.Done.TrySetException(e));
            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                group[i].Done.TrySetException(failure);
            }
            else
            {
                group[i].Done.TrySetResult(results[i]);
            }
        }
    }

    private sealed class WriteRequest(Func<SqliteTransaction, object?> work, CancellationToken cancellationToken)
    {
        public Func<SqliteTransaction, object?> Work { get; } = work;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
