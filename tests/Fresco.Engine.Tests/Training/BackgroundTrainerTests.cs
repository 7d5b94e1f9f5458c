using System.Diagnostics.Metrics;
using Fresco.Engine.Models;
using Fresco.Engine.Training;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Fresco.Engine.Tests.Training;

public sealed class BackgroundTrainerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int _calls;

    private static TrainingOptions Options(TimeSpan interval, long afterEvents) => new()
    {
        Interval = interval,
        AfterEvents = afterEvents,
    };

    private static TrainingReport Report(bool promoted, long version, double quality) =>
        new(new RegistryOutcome(promoted, version, promoted ? "passed" : "rejected"), "als", 3, 4, 5,
            new Dictionary<string, double> { ["ndcg@10"] = quality }, null, TimeSpan.FromSeconds(2));

    [Fact]
    public async Task TheScheduleTriggersARunEveryIntervalAndNotBefore()
    {
        var start = _time.GetUtcNow();
        var times = new List<DateTimeOffset>();
        await using var trainer = new BackgroundTrainer(_ =>
        {
            var call = Interlocked.Increment(ref _calls);
            lock (times)
            {
                times.Add(_time.GetUtcNow());
            }
            return Task.FromResult(Report(true, call, 0.3));
        }, Options(TimeSpan.FromHours(1), 0), _time);
        trainer.Start();

        await AdvanceUntil(() => trainer.Runs == 1);
        await AdvanceUntil(() => trainer.Runs == 2);

        Assert.Equal(2, _calls);
        Assert.Equal(2, trainer.LastReport?.Outcome.Version);
        // never before the interval; a little later only when the loop armed its timer while the fake clock moved on
        Assert.InRange(times[0] - start, TimeSpan.FromHours(1), TimeSpan.FromMinutes(80));
        Assert.InRange(times[1] - times[0], TimeSpan.FromHours(1), TimeSpan.FromMinutes(80));
    }

    [Fact]
    public async Task EnoughEventsTriggerARunAndResetTheCount()
    {
        var runs = new SemaphoreSlim(0);
        await using var trainer = new BackgroundTrainer(_ => Counted(runs, Report(true, 1, 0.3)), Options(TimeSpan.Zero, 100), _time);
        trainer.Start();

        trainer.NotifyEvents(60);
        trainer.NotifyEvents(39);
        Assert.False(await runs.WaitAsync(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken));
        Assert.Equal(99, trainer.PendingEvents);
        trainer.NotifyEvents(1);
        Assert.True(await runs.WaitAsync(s_wait, TestContext.Current.CancellationToken));
        await WaitFor(() => trainer.Runs == 1);
        Assert.Equal(0, trainer.PendingEvents);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task ATrainNowDuringARunJoinsItInsteadOfStartingAnother()
    {
        var release = new TaskCompletionSource();
        var entered = new SemaphoreSlim(0);
        await using var trainer = new BackgroundTrainer(async _ =>
        {
            Interlocked.Increment(ref _calls);
            entered.Release();
            await release.Task;
            return Report(true, 7, 0.3);
        }, Options(TimeSpan.Zero, 0), _time);

        var first = trainer.TrainNowAsync();
        Assert.True(await entered.WaitAsync(s_wait, TestContext.Current.CancellationToken));
        var second = trainer.TrainNowAsync();
        Assert.Same(first, second);
        release.SetResult();

        Assert.Equal(7, (await second)?.Outcome.Version);
        Assert.Equal(1, _calls);
        await trainer.TrainNowAsync();
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task AThrowingRunIsCountedAndTheLoopGoesOn()
    {
        await using var trainer = new BackgroundTrainer(_ => Interlocked.Increment(ref _calls) == 1
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(Report(true, 2, 0.3)), Options(TimeSpan.FromMinutes(10), 0), _time);
        trainer.Start();

        await AdvanceUntil(() => trainer.Failures == 1);
        Assert.Equal("boom", trainer.LastFailure?.Message);
        Assert.Equal(0, trainer.Runs);

        await AdvanceUntil(() => trainer.Runs == 1);
        Assert.Equal(2, _calls);
        Assert.Equal(1, trainer.Failures);
    }

    [Fact]
    public async Task RunsAreRecordedOnTheFrescoEngineMeter()
    {
        using var metrics = new TrainingMetrics();
        var seen = new List<(string Name, double Value, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }
            lock (seen)
            {
                seen.Add((instrument.Name, value, outcome));
            }
        }
        listener.SetMeasurementEventCallback<double>(Record);
        listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(i, v, t, s));
        listener.Start();
        await using var trainer = new BackgroundTrainer(_ => Interlocked.Increment(ref _calls) == 2
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(Report(true, 4, 0.25)), Options(TimeSpan.Zero, 0), _time, metrics: metrics);

        await trainer.TrainNowAsync();
        await trainer.TrainNowAsync();

        Assert.Equal("Fresco.Engine", metrics.Meter.Name);
        Assert.Contains(("fresco.training.duration", 2.0, null), seen);
        Assert.Contains(("fresco.training.runs", 1.0, "promoted"), seen);
        Assert.Contains(("fresco.training.runs", 1.0, "failed"), seen);
        Assert.Contains(("fresco.training.candidate_quality", 0.25, null), seen);
        Assert.Contains(("fresco.model.version", 4.0, null), seen);
    }

    private Task<TrainingReport> Counted(SemaphoreSlim runs, TrainingReport report)
    {
        Interlocked.Increment(ref _calls);
        runs.Release();
        return Task.FromResult(report);
    }

    /// <summary>
    /// Moves the fake clock five minutes at a time until <paramref name="condition"/> holds, giving the loop real time
    /// to react after each step (the loop arms a relative timer, so it must not miss a step while it is busy).
    /// </summary>
    private async Task AdvanceUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out advancing the fake clock.");
            _time.Advance(TimeSpan.FromMinutes(5));
            for (var i = 0; i < 5 && !condition(); i++)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
        }
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the background trainer.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
