namespace Fresco.Engine.Cluster;

/// <summary>
/// Who trains: at most one node of a cluster holds the lease and runs the training schedule; the lease passes to
/// another node when its holder dies. Training runs (scheduled or asked for) and rollbacks also take a cluster-wide
/// run lock, so that model versions are written by one node at a time. Thread-safe.
/// </summary>
public interface ITrainerLease : IAsyncDisposable
{
    /// <summary>True while this node holds the lease (checked before each scheduled run).</summary>
    bool IsHeld { get; }

    /// <summary>Waits for the cluster-wide run lock; disposing the result releases it.</summary>
    Task<IAsyncDisposable> LockRunAsync(CancellationToken cancellationToken = default);
}

/// <summary>The lease of a node alone: always held; the run lock is the training loop's own. Thread-safe (stateless).</summary>
public sealed class LocalTrainerLease : ITrainerLease
{
    public static LocalTrainerLease Instance { get; } = new();

    public bool IsHeld => true;

    public Task<IAsyncDisposable> LockRunAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable>(Released.Instance);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Released : IAsyncDisposable
    {
        public static Released Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
