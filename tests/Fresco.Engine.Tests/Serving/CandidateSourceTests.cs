using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Core.Serialization;
using Fresco.Engine.Catalog;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Fresco.Engine.Serving;
using Xunit;

namespace Fresco.Engine.Tests.Serving;

/// <summary>
/// The one exact-or-retrieved decision: a catalog of 8 items, a model with fixed scores and a retriever with fixed
/// lists that disagree, so every answer shows which path produced it.
/// </summary>
public sealed class CandidateSourceTests
{
    private const int Items = 8;

    private readonly LiveInteractions _live = new();
    private readonly ItemCatalog _catalog = new();
    private readonly FixedModel _model = new();
    private readonly FixedRetriever _retriever = new();
    private readonly ModelView _view;

    public CandidateSourceTests()
    {
        var ids = Enumerable.Range(0, Items).Select(i => "i" + i).ToArray();
        foreach (var id in ids)
        {
            _catalog.EnsureExists(_live.EnsureItem(id), id);
        }
        _view = ModelView.Build(new ServingModel(1, _model, new ModelIdSpace([], ids), "fixed", new Dictionary<string, double>(),
            DateTimeOffset.UnixEpoch), _live);
        _view.Retriever = _retriever;
        _model.Calls = 0;
    }

    [Theory]
    [InlineData(Items - 1, true)]
    [InlineData(Items, false)]
    [InlineData(1_000, false)]
    public void AUserIsRetrievedOnlyWhenTheCatalogExceedsTheThreshold(int threshold, bool retrieved)
    {
        var picks = PickForUser(threshold, n: 3);
        if (retrieved)
        {
            // The retriever's order; its zero-scored item 2 is skipped.
            Assert.Equal(["i5", "i4", "i1"], Ids(picks));
            Assert.Equal([9f, 8f, 7f], Scores(picks));
            Assert.Equal((1, 0, 0), (_retriever.UserCalls, _retriever.SimilarCalls, _model.Calls));
        }
        else
        {
            Assert.Equal(["i1", "i5", "i3"], Ids(picks));
            Assert.Equal([0.9f, 0.7f, 0.5f], Scores(picks));
            Assert.Equal((0, 0, 1), (_retriever.UserCalls, _retriever.SimilarCalls, _model.Calls));
        }
        Assert.All(picks, p => Assert.Equal("model", p.Source));
    }

    [Fact]
    public void WithoutARetrieverAnyCatalogIsScored()
    {
        _view.Retriever = null;
        Assert.Equal(["i1", "i5", "i3"], Ids(PickForUser(threshold: 1, n: 3)));
        Assert.Equal(1, _model.Calls);
    }

    [Fact]
    public void ScoringMasksIneligibleAndNonPositiveItemsWhileRetrievalOnlyCanSkipThem()
    {
        // Item 1 is blocked (say, in the history). Scoring selects past it; the retriever's short list just runs out.
        Assert.Equal(["i5", "i3", "i6", "i7", "i0"], Ids(PickForUser(threshold: Items, n: 8, blocked: 1)));
        Assert.Equal(["i5", "i4"], Ids(PickForUser(threshold: Items - 1, n: 8, blocked: 1)));
    }

    [Fact]
    public void SeedsAreRetrievedOneByOneUntilTheListIsFull()
    {
        Assert.Equal(["i7", "i1", "i6"], Ids(PickForSeeds(threshold: Items - 1, n: 3, [0, 1])));
        Assert.Equal((0, 2, 0), (_retriever.UserCalls, _retriever.SimilarCalls, _model.Calls));

        Assert.Equal(["i7", "i1"], Ids(PickForSeeds(threshold: Items - 1, n: 2, [0, 1])));
        Assert.Equal(3, _retriever.SimilarCalls); // full after the first seed: the second is not asked
    }

    [Fact]
    public void SeedsAreScoredAsOneSummedSimilarity()
    {
        var picks = PickForSeeds(threshold: Items, n: 4, [0, 1]);
        Assert.Equal(["i6", "i1", "i7", "i3"], Ids(picks));
        Assert.Equal([0.6f, 0.5f, 0.4f, 0.3f], Scores(picks));
        Assert.Equal((0, 0, 2), (_retriever.UserCalls, _retriever.SimilarCalls, _model.Calls));

        Assert.Equal(["i1", "i7", "i2"], Ids(PickForSeeds(threshold: Items, n: 4, [0])));
        Assert.Empty(PickForSeeds(threshold: Items, n: 4, []));
    }

    private ScoredId[] PickForUser(int threshold, int n, int blocked = -1)
    {
        var source = new CandidateSource(_live, new RecommendOptions { AnnThreshold = threshold });
        var scratch = new RecommendScratch();
        var picker = NewPicker(scratch, n, blocked);
        source.Pick(_view, CandidateQuery.ForUser(new UserHistory(-1, [], [])), "model", scratch, ref picker);
        return picker.ToResult(0, _live);
    }

    private ScoredId[] PickForSeeds(int threshold, int n, int[] seeds)
    {
        var source = new CandidateSource(_live, new RecommendOptions { AnnThreshold = threshold });
        var scratch = new RecommendScratch();
        var picker = NewPicker(scratch, n, -1);
        source.Pick(_view, CandidateQuery.SimilarTo(seeds), "model", scratch, ref picker);
        return picker.ToResult(0, _live);
    }

    private Picker NewPicker(RecommendScratch scratch, int n, int blocked)
    {
        var set = scratch.Blocked(_live.ItemCount);
        if (blocked >= 0)
        {
            Picker.Block(set, [blocked]);
        }
        return new Picker(scratch, set, _catalog, null, n);
    }

    private static string[] Ids(ScoredId[] picks) => [.. picks.Select(p => p.Id)];

    private static float[] Scores(ScoredId[] picks) => [.. picks.Select(p => p.Score)];

    private sealed class FixedModel : IRecommender
    {
        private static readonly float[] s_user = [0.1f, 0.9f, -1f, 0.5f, 0f, 0.7f, 0.3f, 0.2f];
        private static readonly float[][] s_similar =
        [
            [0f, 0.5f, 0.1f, 0f, 0f, 0f, 0f, 0.4f],
            [0.2f, 0f, 0f, 0.3f, 0f, -0.5f, 0.6f, 0f],
        ];

        public int Calls { get; set; }

        public string Kind => "fixed";

        public int ItemCount => Items;

        public int UserCount => 0;

        public void Score(UserHistory user, Span<float> scores)
        {
            Calls++;
            s_user.CopyTo(scores);
        }

        public bool TryScoreSimilar(int itemIndex, Span<float> scores)
        {
            Calls++;
            if (itemIndex >= s_similar.Length)
            {
                scores.Clear();
                return true;
            }
            s_similar[itemIndex].CopyTo(scores);
            return true;
        }

        public void Save(ModelWriter writer) => throw new NotSupportedException();
    }

    private sealed class FixedRetriever : ICandidateRetriever
    {
        public int UserCalls { get; private set; }

        public int SimilarCalls { get; private set; }

        public int Retrieve(UserHistory user, Span<ScoredItem> destination)
        {
            UserCalls++;
            return Copy([new(5, 9f), new(2, 0f), new(4, 8f), new(1, 7f)], destination);
        }

        public int RetrieveSimilar(int itemIndex, Span<ScoredItem> destination)
        {
            SimilarCalls++;
            return itemIndex == 0
                ? Copy([new(7, 3f), new(1, 2f)], destination)
                : Copy([new(6, 5f), new(0, 1f)], destination);
        }

        private static int Copy(ScoredItem[] items, Span<ScoredItem> destination)
        {
            var n = Math.Min(items.Length, destination.Length);
            items.AsSpan(0, n).CopyTo(destination);
            return n;
        }
    }
}
