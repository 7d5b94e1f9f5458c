using System.Reflection;
using Fresco.Engine.Ingest;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;
using Xunit;

namespace Fresco.Engine.Tests.Ingest;

/// <summary>How rows another node committed (a cluster's bus or change log) are ordered with this node's own writes.</summary>
public sealed class FeedbackIngestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARowFromAnotherNodeAppliesAfterEarlierLocalWritesWithoutHoldingLaterOnesBackFromTheStore()
    {
        var store = GatedStore.Wrap(new InMemoryStore());
        var gate = (GatedStore)store;
        var state = new EngineState(new LiveOptions(), new RecommendOptions(), TimeProvider.System);
        using var metrics = new EngineMetrics(() => 0, () => 0, () => 0, () => 0, () => 0);
        var ingest = new FeedbackIngest(store, state, metrics, TimeProvider.System, TimeSpan.FromDays(1));

        var first = ingest.InsertFeedbackAsync([View("i1")], overwrite: false, Ct); // reaches the store, whose commit is held
        var remote = ingest.ApplyCommittedAsync([View("i2")]);
        var second = ingest.InsertFeedbackAsync([View("i3")], overwrite: false, Ct);

        Assert.Equal(2, gate.Inserts); // the later write shares the commit in flight (an exclusive apply held it back: 1)
        await Task.Delay(50, Ct);
        Assert.False(remote.IsCompleted); // and the remote row still waits for the local write before it
        gate.Release();
        await Task.WhenAll(first, remote, second);
        Assert.Equal(3, state.Live.GetSnapshot("u1").Count);
    }

    private static Feedback View(string item) => new("view", "u1", item, 1, DateTimeOffset.UtcNow);

    /// <summary>A store whose feedback inserts are counted as they are called and complete only after <see cref="Release"/>.</summary>
    public class GatedStore : DispatchProxy
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private IStore _inner = null!;
        private int _inserts;

        public int Inserts => Volatile.Read(ref _inserts);

        public static IStore Wrap(IStore inner)
        {
            var store = Create<IStore, GatedStore>();
            ((GatedStore)(object)store)._inner = inner;
            return store;
        }

        public void Release() => _open.TrySetResult();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            if (targetMethod.Name != nameof(IStore.InsertFeedbackAsync))
            {
                return result;
            }
            Interlocked.Increment(ref _inserts);
            return HeldAsync((Task<int>)result!);
        }

        private async Task<int> HeldAsync(Task<int> written)
        {
            await _open.Task;
            return await written;
        }
    }
}
