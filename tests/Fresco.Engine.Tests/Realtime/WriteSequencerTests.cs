using Fresco.Engine.Realtime;
using Xunit;

namespace Fresco.Engine.Tests.Realtime;

/// <summary>
/// <see cref="WriteSequencer"/>: pipelined writes reach the store in call order without waiting for each other's
/// commits, apply in call order per stripe, and an exclusive write keeps later writes on its stripes from the store.
/// </summary>
public sealed class WriteSequencerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly WriteSequencer _sequencer = new(4);
    private readonly List<string> _log = [];

    [Fact]
    public async Task PipelinedWritesOnOneStripeReachTheStoreAtOnceAndApplyInCallOrder()
    {
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = _sequencer.RunAsync([1], () => Store("store a", first.Task), r => Apply("apply a", r));
        var b = _sequencer.RunAsync([1], () => Store("store b", second.Task), r => Apply("apply b", r));
        Assert.Equal(["store a", "store b"], Snapshot()); // b reached the store while a's commit is still pending

        second.SetResult(2); // b commits first ...
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(b.IsCompleted); // ... but does not apply before a
        first.SetResult(1);

        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(a, b).WaitAsync(s_timeout, TestContext.Current.CancellationToken));
        Assert.Equal(["store a", "store b", "apply a", "apply b"], Snapshot());
    }

    [Fact]
    public async Task WritesOnOtherStripesDoNotWait()
    {
        var blocked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = _sequencer.RunAsync([0, 1], () => Store("store a", blocked.Task), r => Apply("apply a", r));
        var b = _sequencer.RunAsync([2, 3], () => Store("store b", Task.FromResult(2)), r => Apply("apply b", r));

        Assert.Equal(2, await b.WaitAsync(s_timeout, TestContext.Current.CancellationToken));
        Assert.False(a.IsCompleted);
        blocked.SetResult(1);
        Assert.Equal(1, await a.WaitAsync(s_timeout, TestContext.Current.CancellationToken));
        Assert.Equal(["store a", "store b", "apply b", "apply a"], Snapshot());
    }

    [Fact]
    public async Task AnExclusiveWriteWaitsForEarlierWritesAndHoldsLaterOnesFromTheStore()
    {
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = _sequencer.RunAsync([1], () => Store("store a", first.Task), r => Apply("apply a", r));
        var x = _sequencer.RunExclusiveAsync([1, 2], () => Apply("exclusive", 0));
        var b = _sequencer.RunAsync([2], () => Store("store b", Task.FromResult(2)), r => Apply("apply b", r));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(["store a"], Snapshot()); // the exclusive write waits for a; b waits for the exclusive one

        first.SetResult(1);
        await Task.WhenAll(a, x, b).WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal(["store a", "apply a", "exclusive", "store b", "apply b"], Snapshot());
    }

    [Fact]
    public async Task AWriteAfterAWaitingOneWaitsTooSoItReachesTheStoreLater()
    {
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = _sequencer.RunAsync([1], () => Store("store a", first.Task), r => Apply("apply a", r));
        var x = _sequencer.RunExclusiveAsync([1], () => Apply("exclusive", 0));
        var b = _sequencer.RunAsync([1, 3], () => Store("store b", Task.FromResult(2)), r => Apply("apply b", r));
        var c = _sequencer.RunAsync([3], () => Store("store c", Task.FromResult(3)), r => Apply("apply c", r));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(["store a"], Snapshot()); // c shares only stripe 3 with b, which waits: c must not overtake it

        first.SetResult(1);
        await Task.WhenAll(a, x, b, c).WaitAsync(s_timeout, TestContext.Current.CancellationToken);
        Assert.Equal(["store a", "apply a", "exclusive", "store b", "apply b", "store c", "apply c"], Snapshot());
    }

    [Fact]
    public async Task AFailedWriteFailsAloneAndReleasesItsStripes()
    {
        var sync = _sequencer.RunAsync<int, int>([1], () => throw new ArgumentException("bad row"), r => Apply("never", r));
        var faulted = _sequencer.RunAsync([1], () => Store("store f", Task.FromException<int>(new IOException("disk"))), r => Apply("never", r));
        var x = _sequencer.RunExclusiveAsync<int>([1], () => throw new InvalidOperationException("exclusive"));
        var ok = _sequencer.RunAsync([1], () => Store("store ok", Task.FromResult(7)), r => Apply("apply ok", r));

        await Assert.ThrowsAsync<ArgumentException>(() => sync);
        await Assert.ThrowsAsync<IOException>(() => faulted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => x);
        Assert.Equal(7, await ok.WaitAsync(s_timeout, TestContext.Current.CancellationToken));
        Assert.Equal(["store f", "store ok", "apply ok"], Snapshot());
    }

    [Fact]
    public async Task AFailedWriteReleasesLaterWritesOnlyAfterEarlierOnesApplied()
    {
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = _sequencer.RunAsync([1], () => Store("store a", first.Task), r => Apply("apply a", r));
        var failed = _sequencer.RunAsync([1], () => Store("store f", Task.FromException<int>(new IOException("disk"))), r => Apply("never", r));
        var c = _sequencer.RunAsync([1], () => Store("store c", Task.FromResult(3)), r => Apply("apply c", r));

        await Assert.ThrowsAsync<IOException>(() => failed.WaitAsync(s_timeout, TestContext.Current.CancellationToken));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(c.IsCompleted); // the failed write sits between a and c: c must still wait for a
        first.SetResult(1);

        Assert.Equal(new[] { 1, 3 }, await Task.WhenAll(a, c).WaitAsync(s_timeout, TestContext.Current.CancellationToken));
        Assert.Equal(["store a", "store f", "store c", "apply a", "apply c"], Snapshot());
    }

    private Task<int> Store(string step, Task<int> commit)
    {
        Record(step);
        return commit;
    }

    private Task<int> Apply(string step, int result)
    {
        Record(step);
        return Task.FromResult(result);
    }

    private void Record(string step)
    {
        lock (_log)
        {
            _log.Add(step);
        }
    }

    private string[] Snapshot()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }
}
