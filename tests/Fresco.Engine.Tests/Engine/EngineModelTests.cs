using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Engine.Models;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage.InMemory;
using Fresco.Engine.Training;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>How the engine uses the serving model: own user rows vs fold-in, the candidate retriever, the training schedule.</summary>
public sealed class EngineModelTests : EngineTestBase
{
    public override async ValueTask InitializeAsync()
    {
        Trainer = new CatalogTrainer("als", "factors=4", "iterations=5", "threads=1");
        await base.InitializeAsync();
    }

    [Fact]
    public async Task AnUnchangedUserIsScoredFromTheModelRowAndAChangedOneIsFoldedIn()
    {
        var serving = Engine.Models.Current!;
        Assert.True(Engine.Live.TryGetUserIndex("b", out var b));
        var own = ScoresOf(serving.Model, new UserHistory(b, [], []));
        Assert.Equal(own.Best.Score, Recommend("b", n: 1)![0].Score, 5);

        await Add(View("b", "i3", 5));
        var snapshot = Engine.Live.GetSnapshot("b");
        var folded = ScoresOf(serving.Model, UserHistory.Anonymous(snapshot.Items, snapshot.Weights));
        var list = Recommend("b", n: 1);
        Assert.Equal(serving.Model.Kind, list![0].Source);
        Assert.Equal(folded.Best.Score, list[0].Score, 5);
        Assert.NotEqual(own.Best.Score, folded.Best.Score);
    }

    [Fact]
    public async Task ARetrieverServesCandidatesBeyondTheAnnThreshold()
    {
        await Engine.DisposeAsync();
        var options = Options(0);
        options.Recommend.AnnThreshold = 5;
        Engine = await new FrescoEngineBuilder(Store, options, Trainer) { Time = Time, Retrievers = _ => new FixedRetriever() }.StartAsync(Ct);
        await Add(View("new", "i0", 1));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Recommend("new", n: 3)![0].Id != "i7" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }
        // The retriever's i0 is the user's own item and i3 scores zero: both skipped; trending fills the rest.
        Assert.Equal(["i7", "i5", "i1"], Ids(Recommend("new", n: 3)));
        Assert.Equal(["als", "als", "trending"], Sources(Recommend("new", n: 3)));
    }

    [Fact]
    public async Task TheScheduleTrainsAfterEnoughEvents()
    {
        await Engine.DisposeAsync();
        var options = Options(0);
        options.Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 3, MinEvents = 1, MinInterval = TimeSpan.Zero };
        var trainer = new CatalogTrainer("popularity");
        Engine = await new FrescoEngineBuilder(Store, options, trainer) { Time = Time }.StartAsync(Ct);
        await Add(View("s1", "i1"), View("s2", "i1"));
        await Task.Delay(1500, Ct);
        Assert.Equal(0, trainer.Runs);

        await Add(View("s3", "i1"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (trainer.Runs == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Equal(1, trainer.Runs);
        Assert.Equal(0, Engine.GetStatus().Training.EventsSinceTraining);
        var snapshot = trainer.Last!;
        Assert.Equal(snapshot.Ids.ItemIds.Count, snapshot.UserItems.Columns);
        Assert.Equal("i1", snapshot.Ids.ItemIds[1]);
        // Column i1 holds a and b (seeded) and s1, s2, s3.
        Assert.Equal(5, snapshot.UserItems.ColumnIndices.ToArray().Count(c => c == 1));
    }

    [Fact]
    public async Task ScheduledRunsWaitAtLeastTheMinimumIntervalAfterTheLastOne()
    {
        await Engine.DisposeAsync();
        var options = Options(0);
        options.Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 3, MinEvents = 1, MinInterval = TimeSpan.FromMinutes(10) };
        var trainer = new CatalogTrainer("popularity");
        Engine = await new FrescoEngineBuilder(Store, options, trainer) { Time = Time }.StartAsync(Ct);
        await Add(View("s1", "i1"), View("s2", "i1"), View("s3", "i1"), View("s4", "i1"));
        Time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(1500, Ct);
        Assert.Equal(0, trainer.Runs); // enough events, but within ten minutes of the start

        Time.Advance(TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (trainer.Runs == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Equal(1, trainer.Runs);
    }

    [Fact]
    public async Task AFailedScheduledRunGivesItsEventsBackSoTheTriggerFiresAgainAfterTheMinimumInterval()
    {
        await Engine.DisposeAsync();
        var options = Options(0);
        options.Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 3, MinEvents = 1, MinInterval = TimeSpan.FromMinutes(10) };
        var trainer = new FailingTrainer();
        Engine = await new FrescoEngineBuilder(Store, options, trainer) { Time = Time }.StartAsync(Ct);
        await Add(View("s1", "i1"), View("s2", "i1"), View("s3", "i1"));

        Time.Advance(TimeSpan.FromMinutes(10));
        await WaitForRuns(trainer, 1);
        Assert.Equal(3, Engine.GetStatus().Training.EventsSinceTraining); // the failed run gave its 3 events back

        Time.Advance(TimeSpan.FromMinutes(10));
        await WaitForRuns(trainer, 2); // no new event: the trigger fires again on the events given back
        Assert.Equal(3, Engine.GetStatus().Training.EventsSinceTraining);
    }

    /// <summary>Waits until <paramref name="trainer"/> ran <paramref name="runs"/> times and the run is over.</summary>
    private async Task WaitForRuns(FailingTrainer trainer, int runs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((trainer.Runs < runs || Engine.GetStatus().Training.Running) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Equal(runs, trainer.Runs);
    }

    private sealed class FailingTrainer : IModelTrainer
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromException<TrainingReport>(new InvalidOperationException("the trainer is down"));
        }
    }

    [Fact]
    public async Task AModelThatLearnsFromEventOrderGetsEachUsersItemsInTheOrderOfTheirLastEvent()
    {
        await Engine.DisposeAsync();
        var options = Options(0);
        options.Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 0, Model = "transformer" };
        var trainer = new CatalogTrainer("popularity");
        Engine = await new FrescoEngineBuilder(Store, options, trainer) { Time = Time }.StartAsync(Ct);
        await Add(View("q", "i5", 1), View("q", "i2", 2), Event("cart", "q", "i7", 3), Event("click", "q", "i5", 4), Event("dislike", "q", "i3", 5));
        await Engine.TrainNowAsync(Ct);

        var snapshot = trainer.Last!;
        var table = Assert.IsType<InteractionTable>(snapshot.Sequences);
        string[] Sequence(string user) => [.. table.Rows.ToArray()
            .Where(r => table.Users.GetId(r.UserIndex) == user).Select(r => table.Items.GetId(r.ItemIndex))];
        Assert.Equal(["i2", "i7", "i5"], Sequence("q")); // i5 clicked last; the disliked i3 is not a positive pair
        Assert.Equal(["i0", "i1", "i2"], Sequence("b"));
        Assert.Equal(snapshot.Ids.UserIds, table.Users.Ids);
        Assert.Equal(snapshot.Ids.ItemIds, table.Items.Ids);
        Assert.Equal(snapshot.UserItems.NonZeros, table.Count);

        await Engine.DisposeAsync();
        trainer = new CatalogTrainer("popularity");
        var als = Options(0);
        als.Training = new TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 0, Model = "als" };
        Engine = await new FrescoEngineBuilder(Store, als, trainer) { Time = Time }.StartAsync(Ct);
        await Engine.TrainNowAsync(Ct);
        Assert.Null(trainer.Last!.Sequences); // ALS learns from the matrix alone
    }

    [Fact]
    public async Task TheFirstModelIsTrainedAsSoonAsThereAreEnoughEvents()
    {
        await Engine.DisposeAsync();
        var store = new InMemoryStore();
        var options = Options(0);
        options.Training = new TrainingOptions { Interval = TimeSpan.FromHours(1), AfterEvents = 1000, MinEvents = 3 };
        var trainer = new CatalogTrainer("popularity");
        Engine = await new FrescoEngineBuilder(store, options, trainer) { Time = Time }.StartAsync(Ct);
        await Engine.InsertFeedbackAsync([View("s1", "i1"), View("s2", "i1")], overwrite: false, Ct);
        await Task.Delay(1500, Ct);
        Assert.Equal(0, trainer.Runs); // below MinEvents

        await Engine.InsertFeedbackAsync([View("s3", "i2")], overwrite: false, Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Engine.Models.Current is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Equal(1, trainer.Runs);
        Assert.Equal(1, Engine.Models.Current?.Version);
        await Task.Delay(1500, Ct);
        Assert.Equal(1, trainer.Runs); // then only on the schedule (an hour, or 1000 events)
    }

    [Fact]
    public async Task StartValidatesOptions()
    {
        var options = Options(0);
        options.Recommend.MaxN = 0;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new FrescoEngineBuilder(new InMemoryStore(), options, Trainer).StartAsync(Ct));
    }

    private static (float[] Scores, ScoredItem Best) ScoresOf(IRecommender model, UserHistory user)
    {
        var scores = new float[model.ItemCount];
        model.Score(user, scores);
        var history = user.Items.ToArray();
        var top = new ScoredItem[1];
        model.Recommend(user, top, excludeHistory: true, exclude: history);
        return (scores, top[0]);
    }

    private sealed class FixedRetriever : ICandidateRetriever
    {
        public int Retrieve(UserHistory user, Span<ScoredItem> destination)
        {
            ScoredItem[] fixedItems = [new(7, 9f), new(0, 8f), new(3, 0f), new(5, 7f)];
            var n = Math.Min(destination.Length, fixedItems.Length);
            fixedItems.AsSpan(0, n).CopyTo(destination);
            return n;
        }

        public int RetrieveSimilar(int itemIndex, Span<ScoredItem> destination) => 0;
    }
}
