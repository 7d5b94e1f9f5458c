using Fresco.Server.Http;
using Microsoft.Extensions.Time.Testing;

namespace Fresco.Server.Tests;

public sealed class QueueDelayShedderTests
{
    private static readonly TimeSpan s_over = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_under = TimeSpan.FromMilliseconds(5);
    private static readonly long s_queue = QueueDelayShedder.MinQueueLength;

    private static (QueueDelayShedder Shedder, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider();
        var server = new FrescoServerOptions { QueueDelayTarget = TimeSpan.FromMilliseconds(20), QueueDelayInterval = TimeSpan.FromMilliseconds(200) };
        return (new QueueDelayShedder(server.Validate(), time), time);
    }

    /// <summary>Delays over the target every 10 ms for <paramref name="duration"/>.</summary>
    private static void Stand(QueueDelayShedder shedder, FakeTimeProvider time, TimeSpan delay, TimeSpan duration)
    {
        for (var t = TimeSpan.Zero; t <= duration; t += TimeSpan.FromMilliseconds(10))
        {
            shedder.Observe(delay, s_queue);
            if (t < duration)
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    [Fact]
    public void AStandingDelayOverTheTargetShedsOnlyOnceItHasLastedAnInterval()
    {
        var (shedder, time) = Create();
        Stand(shedder, time, s_over, TimeSpan.FromMilliseconds(190));
        Assert.False(shedder.IsShedding);
        time.Advance(TimeSpan.FromMilliseconds(10));
        shedder.Observe(s_over, s_queue);
        Assert.True(shedder.IsShedding);
        Assert.Equal(s_over, shedder.LastDelay);
    }

    [Fact]
    public void BurstsShorterThanTheIntervalAreNotShed()
    {
        var (shedder, time) = Create();
        for (var burst = 0; burst < 10; burst++)
        {
            Stand(shedder, time, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(150));
            time.Advance(TimeSpan.FromMilliseconds(10));
            shedder.Observe(s_under, s_queue);
            Assert.False(shedder.IsShedding);
        }
    }

    [Fact]
    public void SheddingStopsAtTheFirstDelayUnderTheTargetAndRestartsAtOnceWithinAnInterval()
    {
        var (shedder, time) = Create();
        Stand(shedder, time, s_over, TimeSpan.FromMilliseconds(300));
        Assert.True(shedder.IsShedding);

        time.Advance(TimeSpan.FromMilliseconds(10));
        shedder.Observe(s_under, s_queue);
        Assert.False(shedder.IsShedding);

        time.Advance(TimeSpan.FromMilliseconds(50));
        shedder.Observe(s_over, s_queue);
        Assert.True(shedder.IsShedding); // the overload is back: no second grace interval

        shedder.Observe(s_under, s_queue);
        time.Advance(TimeSpan.FromMilliseconds(500));
        shedder.Observe(s_over, s_queue);
        Assert.False(shedder.IsShedding); // long after the last spell: a fresh burst gets its interval again
        Stand(shedder, time, s_over, TimeSpan.FromMilliseconds(200));
        Assert.True(shedder.IsShedding);
    }

    [Fact]
    public void ALongWaitBehindAShortQueueIsNotShed()
    {
        var (shedder, time) = Create();
        for (var i = 0; i < 100; i++)
        {
            shedder.Observe(TimeSpan.FromMilliseconds(300), QueueDelayShedder.MinQueueLength - 1); // the pool busy with a training run
            time.Advance(TimeSpan.FromMilliseconds(10));
        }
        Assert.False(shedder.IsShedding);
        Assert.Equal(QueueDelayShedder.MinQueueLength - 1, shedder.LastQueueLength);

        Stand(shedder, time, s_over, TimeSpan.FromMilliseconds(200));
        Assert.True(shedder.IsShedding);
        shedder.Observe(s_over, 0); // the requests are gone: shedding more would not shorten the wait
        Assert.False(shedder.IsShedding);
    }

    [Fact]
    public void DelaysAtTheTargetCountAsOver()
    {
        var (shedder, time) = Create();
        Stand(shedder, time, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));
        Assert.True(shedder.IsShedding);
    }
}
