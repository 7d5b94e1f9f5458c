using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Models;
using Xunit;

namespace Fresco.TestKit;

/// <summary>
/// The contract every model passes, on <see cref="TinyData"/>. A model's test class inherits this and says
/// how to build options; model-specific tests go beside.
/// </summary>
public abstract class ModelContractTests
{
    protected abstract string ModelName { get; }

    /// <summary>Whether the model personalizes (popularity does not).</summary>
    protected virtual bool IsPersonalized => true;

    /// <summary>Whether the model answers similar-item queries.</summary>
    protected virtual bool HasSimilarItems => true;

    /// <summary>Options that make the model fit the tiny data well (small factors, enough iterations).</summary>
    protected virtual IEnumerable<string> TinyOptions => [];

    protected IRecommender Train(int seed = 7)
    {
        var options = ModelCatalog.CreateOptions(ModelName, [.. TinyOptions, $"seed={seed}", "threads=2"]);
        return ModelCatalog.Train(ModelName, new TrainingContext(TinyData.Training(), options));
    }

    [Fact]
    public void ScoresEveryItem()
    {
        var model = Train();
        Assert.Equal(ModelName, model.Kind);
        Assert.Equal(TinyData.Items, model.ItemCount);
        var scores = new float[model.ItemCount];
        var matrix = TinyData.Matrix();
        model.Score(UserHistory.FromMatrix(matrix, 3), scores);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void RecommendNeverReturnsSeenOrExcludedItems()
    {
        var model = Train();
        var matrix = TinyData.Matrix();
        var results = new ScoredItem[10];
        for (var u = 0; u < TinyData.Users; u++)
        {
            var count = model.Recommend(UserHistory.FromMatrix(matrix, u), results, exclude: [u % 10, 20]);
            Assert.True(count > 0);
            foreach (var item in results.AsSpan(0, count))
            {
                Assert.DoesNotContain(item.ItemIndex, matrix.RowIndices(u).ToArray());
                Assert.NotEqual(u % 10, item.ItemIndex);
                Assert.NotEqual(20, item.ItemIndex);
            }
            for (var i = 1; i < count; i++)
            {
                Assert.True(results[i - 1].Score >= results[i].Score);
            }
        }
    }

    [Fact]
    public void RecommendsTheUsersOwnTaste()
    {
        Assert.SkipUnless(IsPersonalized, "not a personalized model");
        var model = Train();
        var matrix = TinyData.Matrix();
        var results = new ScoredItem[4];
        var hits = 0;
        for (var u = 0; u < TinyData.Users; u++)
        {
            var count = model.Recommend(UserHistory.FromMatrix(matrix, u), results);
            hits += results.AsSpan(0, count).ToArray().Count(r => TinyData.SameGroup(u, r.ItemIndex));
        }
        // 20 users x 4 slots; each user has exactly 4 unseen items of their own taste.
        Assert.True(hits >= 72, $"only {hits} of 80 recommendations matched the user's taste");
    }

    [Fact]
    public void AnonymousHistoryIsPersonalized()
    {
        Assert.SkipUnless(IsPersonalized, "not a personalized model");
        var model = Train();
        var results = new ScoredItem[3];
        var count = model.Recommend(UserHistory.Anonymous([11, 12, 13, 14], [1f, 1f, 1f, 1f]), results);
        Assert.Equal(3, count);
        Assert.All(results, r => Assert.True(r.ItemIndex is >= 10 and < 20, $"item {r.ItemIndex} is not of the 10-19 taste"));
    }

    [Fact]
    public void SimilarItemsAreOfTheSameGroup()
    {
        Assert.SkipUnless(HasSimilarItems, "model has no item similarity");
        var model = Train();
        var results = new ScoredItem[3];
        var count = model.SimilarItems(2, results);
        Assert.Equal(3, count);
        Assert.All(results, r => Assert.True(r.ItemIndex is >= 0 and < 10 && r.ItemIndex != 2));
    }

    [Fact]
    public void SameSeedGivesTheSameModel()
    {
        var a = Train(seed: 11);
        var b = Train(seed: 11);
        var matrix = TinyData.Matrix();
        var scoresA = new float[a.ItemCount];
        var scoresB = new float[b.ItemCount];
        for (var u = 0; u < TinyData.Users; u++)
        {
            a.Score(UserHistory.FromMatrix(matrix, u), scoresA);
            b.Score(UserHistory.FromMatrix(matrix, u), scoresB);
            Assert.Equal(scoresA, scoresB);
        }
    }

    [Fact]
    public void SaveAndLoadGiveTheSameScores()
    {
        var model = Train();
        using var stream = new MemoryStream();
        ModelCatalog.Save(model, stream);
        stream.Position = 0;
        var loaded = ModelCatalog.Load(stream);
        Assert.Equal(model.Kind, loaded.Kind);
        var matrix = TinyData.Matrix();
        var expected = new float[model.ItemCount];
        var actual = new float[model.ItemCount];
        for (var u = 0; u < TinyData.Users; u++)
        {
            model.Score(UserHistory.FromMatrix(matrix, u), expected);
            loaded.Score(UserHistory.FromMatrix(matrix, u), actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void UnknownOptionIsAnErrorListingTheValidOnes()
    {
        var e = Assert.Throws<OptionException>(() => ModelCatalog.CreateOptions(ModelName, ["no_such_option=1"]));
        Assert.Contains("threads", e.Message);
    }

    [Fact]
    public void WarmedRecommendDoesNotAllocate()
    {
        var model = Train();
        var matrix = TinyData.Matrix();
        var results = new ScoredItem[5];
        model.Recommend(UserHistory.FromMatrix(matrix, 1), results);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            model.Recommend(UserHistory.FromMatrix(matrix, 1), results);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
