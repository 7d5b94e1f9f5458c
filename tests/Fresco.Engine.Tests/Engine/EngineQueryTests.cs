using System.Diagnostics;
using Fresco.Engine.Queries;
using Fresco.Engine.Serving;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>What hosts read through the engine instead of its store: stored rows, a subject's feedback, the status.</summary>
public sealed class EngineQueryTests : EngineTestBase
{
    [Fact]
    public async Task StoredRowsAreReadThroughTheEngine()
    {
        Assert.Equal("i3", (await Engine.GetItemAsync("i3", Ct))?.ItemId);
        Assert.Null(await Engine.GetItemAsync("nope", Ct));
        Assert.Equal("a", (await Engine.GetUserAsync("a", Ct))?.UserId);
        Assert.Null(await Engine.GetUserAsync("nope", Ct));

        var page = await Engine.ListItemsAsync("", 4, Ct);
        Assert.Equal(["i0", "i1", "i2", "i3"], page.Items.Select(i => i.ItemId));
        Assert.Equal(["i4", "i5", "i6", "i7"], (await Engine.ListItemsAsync(page.Cursor, 4, Ct)).Items.Select(i => i.ItemId));
        Assert.Equal(["a", "b"], (await Engine.ListUsersAsync("", 2, Ct)).Items.Select(u => u.UserId));
        Assert.Equal(14, (await Engine.ListFeedbackAsync("", 100, "view", Ct)).Items.Count);
        Assert.Empty((await Engine.ListFeedbackAsync("", 100, "purchase", Ct)).Items);
    }

    [Fact]
    public async Task ASubjectsFeedbackIsNullOnlyWhenTheSubjectDoesNotExist()
    {
        Assert.Equal(["i0", "i1", "i2"], (await Engine.GetUserFeedbackAsync("b", null, Ct))!.Select(f => f.ItemId));
        Assert.Empty((await Engine.GetUserFeedbackAsync("b", "purchase", Ct))!);
        Assert.Null(await Engine.GetUserFeedbackAsync("nope", null, Ct));
        Assert.Equal(["a", "b"], (await Engine.GetItemFeedbackAsync("i0", null, Ct))!.Select(f => f.UserId));
        Assert.Null(await Engine.GetItemFeedbackAsync("nope", null, Ct));
        Assert.Single(await Engine.GetUserItemFeedbackAsync("a", "i1", "view", Ct));
    }

    [Fact]
    public async Task TheStatusFollowsWritesTrainingAndRollback()
    {
        var status = Engine.GetStatus();
        Assert.True(status.Ready);
        Assert.Equal((6, 10, 14L), (status.Users, status.Items, status.Events));
        Assert.Equal((1L, "itemknn"), (status.ServingVersion, status.ServingKind));
        Assert.False(status.Training.Running);
        Assert.True(status.Training.Last?.Outcome.Promoted);
        Assert.Equal(0, status.Training.EventsSinceTraining);
        Assert.Equal(0, status.QueueDepth);

        await Add(View("g", "i9"), View("g", "i8"));
        status = Engine.GetStatus();
        Assert.Equal((7, 16L, 2L), (status.Users, status.Events, status.Training.EventsSinceTraining));

        Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        Assert.Equal(2L, Engine.GetStatus().ServingVersion);
        Assert.Equal([2L, 1L], Engine.GetStatus().Training.Recent.Select(r => r.Report.Outcome.Version));
        Assert.True(Engine.GetStatus().Training.Recent[0].FinishedAt >= Engine.GetStatus().Training.Recent[1].FinishedAt);
        Assert.Equal([2L, 1L], (await Engine.ListModelsAsync(Ct)).Select(m => m.Version));
        Assert.True((await Engine.RollbackAsync(Ct)).Promoted);
        Assert.Equal(1L, Engine.GetStatus().ServingVersion);

        await Engine.DisposeAsync();
        Assert.False(Engine.GetStatus().Ready);
        Engine = await StartAsync();
    }

    [Fact]
    public void EveryRecommendCallIsCountedInTheLatencyHistogramUnknownUsersIncluded()
    {
        var before = Engine.GetStatus().RecommendLatency;
        Assert.NotNull(Engine.Recommend("a", new RecommendQuery(3)));
        Assert.Null(Engine.Recommend("nope", new RecommendQuery(3)));
        var after = Engine.GetStatus().RecommendLatency;
        Assert.Equal(before.Count + 2, after.Count);
        Assert.Equal(after.Count, after.Buckets.Sum());
        Assert.True(after.TotalSeconds > before.TotalSeconds);
        Assert.Equal(LatencyHistogram.BucketCount, after.Buckets.Count);
    }

    [Fact]
    public void ALatencyLandsInThePowerOfTwoMicrosecondBucketAboveIt()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordSince(Stopwatch.GetTimestamp() - Stopwatch.Frequency / 1000 * 3); // ~3 ms
        var buckets = histogram.Snapshot().Buckets;
        var bucket = Enumerable.Range(0, buckets.Count).Single(i => buckets[i] == 1);
        Assert.InRange(bucket, 12, 13); // 3000 us < 2^12 = 4096 us (13 if the clock moved past 4.1 ms in between)
    }
}
