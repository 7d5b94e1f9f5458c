using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Storage.InMemory;
using Xunit;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// A small hand-checked world: items i0..i9 (even ones in category "even", odd in "odd"; i0..i7 and i9 dated, i8
/// not), and six users viewing two pairs of neighbours each:
/// a {i0,i1}, b {i0,i1,i2}, c {i2,i3}, d {i4,i5}, e {i4,i5,i6}, f {i6,i7}. With item-kNN (cosine, no shrinkage)
/// sim(i0,i1) = 1 and sim(i0,i2) = 0.5. All at one instant, so trending = view counts, ties to the lower index:
/// i0 i1 i2 i4 i5 i6 (2 each) then i3 i7 (1 each).
/// </summary>
public abstract class EngineTestBase : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private protected ManualTime Time { get; } = new(T0);

    private protected CatalogTrainer Trainer { get; set; } = new("itemknn", "neighbors=10", "shrinkage=0", "weighting=none");

    protected FrescoEngine Engine { get; set; } = null!;

    protected IStore Store { get; set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual int CacheUsers => 0;

    /// <summary><see cref="Fresco.Engine.Realtime.LiveOptions.UserTtl"/> of the engine <see cref="StartAsync"/> builds.</summary>
    protected virtual TimeSpan? UserTtl => null;

    public virtual async ValueTask InitializeAsync()
    {
        Store = new InMemoryStore();
        Engine = await StartAsync();
        await SeedAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected Task<FrescoEngine> StartAsync()
    {
        var options = Options(CacheUsers);
        options.Live = new Fresco.Engine.Realtime.LiveOptions { UserTtl = UserTtl };
        return new FrescoEngineBuilder(Store, options, Trainer) { Time = Time }.StartAsync(Ct);
    }

    protected static FrescoEngineOptions Options(int cacheUsers) => new()
    {
        Recommend = new RecommendOptions { MaxN = 50, CacheUsers = cacheUsers },
        Training = new Fresco.Engine.Training.TrainingOptions { Interval = TimeSpan.Zero, AfterEvents = 0 },
    };

    protected async Task SeedAsync(bool train = true)
    {
        var items = Enumerable.Range(0, 10).Select(i => new Item("i" + i, false, [i % 2 == 0 ? "even" : "odd"], [], "",
            i == 8 ? DateTimeOffset.MinValue : T0.AddDays(-10 + i))).ToArray();
        await Engine.InsertItemsAsync(items, Ct);
        (string User, int[] Items)[] views = [("a", [0, 1]), ("b", [0, 1, 2]), ("c", [2, 3]), ("d", [4, 5]), ("e", [4, 5, 6]), ("f", [6, 7])];
        var batch = views.SelectMany(v => v.Items.Select(i => View(v.User, "i" + i))).ToArray();
        await Engine.InsertFeedbackAsync(batch, overwrite: false, Ct);
        if (train)
        {
            Assert.True((await Engine.TrainNowAsync(Ct)).Outcome.Promoted);
        }
    }

    protected static Feedback View(string user, string item, int minutes = 0) => new("view", user, item, 1, T0.AddMinutes(minutes));

    protected static Feedback Event(string type, string user, string item, int minutes = 0, double value = 1) =>
        new(type, user, item, value, T0.AddMinutes(minutes));

    protected Task Add(params Feedback[] feedback) => Engine.InsertFeedbackAsync(feedback, overwrite: false, Ct);

    protected static string[] Ids(IReadOnlyList<ScoredId>? list) => Assert.IsAssignableFrom<IReadOnlyList<ScoredId>>(list).Select(s => s.Id).ToArray();

    protected static string[] Sources(IReadOnlyList<ScoredId>? list) => list!.Select(s => s.Source).ToArray();

    protected IReadOnlyList<ScoredId>? Recommend(string user, int n = 4, int offset = 0, string? category = null, string[]? exclude = null) =>
        Engine.Recommend(user, new RecommendQuery(n, offset, category, exclude));
}
