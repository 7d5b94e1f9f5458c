using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// One recommendation list from a history (live item indices, oldest first): the serving model's candidates
/// (folded in from the history), then item-to-item candidates around the newest items, then trending, latest,
/// popular, and finally any eligible catalog item, so the list is full whenever the catalog has enough eligible
/// items. Each stage only adds items the earlier ones did not, and only eligible ones (visible, in the category,
/// not in the history, not consumed, not excluded, matching the scenario's filter). A scenario's rules apply inside:
/// boosts multiply model scores before selection, the diversity cap passes items over as they are picked, a promotion
/// fills its slots first from the matching items (see <see cref="Answer"/>). Thread-safe; scratch is per thread, so a
/// warmed call allocates only its result.
/// </summary>
internal sealed class RecommendPipeline(LiveInteractions live, ItemCatalog catalog, NonPersonalLists lists, RecommendOptions options)
{
    public const string ItemToItemSource = "item-to-item";
    public const string CatalogSource = "catalog";

    private readonly CandidateSource _candidates = new(live, options);

    /// <summary>
    /// The list for a history. <paramref name="modelUser"/> is the user's row in the model when the model was trained
    /// on exactly this history (the model then scores from its own user vector); -1 folds the history in.
    /// </summary>
    public ScoredId[] Recommend(ModelView? view, int modelUser, ReadOnlySpan<int> history, ReadOnlySpan<float> weights,
        ReadOnlySpan<int> consumed, ReadOnlySpan<int> rejected, RecommendQuery query, PageRules rules)
    {
        var scratch = RecommendScratch.ForThread();
        var blocked = scratch.Blocked(live.ItemCount);
        Picker.Block(blocked, history);
        Picker.Block(blocked, consumed);
        Picker.Block(blocked, rejected);
        return Answer(AnswerSources.ForHistory(view, modelUser, history, weights), blocked, query, rules);
    }

    /// <summary>A non-personalised list filtered by the query (and the scenario); no fallback.</summary>
    public ScoredId[] List(ScoredItem[] list, string source, RecommendQuery query, PageRules rules) =>
        Answer(AnswerSources.ForList(list, source), RecommendScratch.ForThread().Blocked(live.ItemCount), query, rules);

    /// <summary>
    /// Fills the answer from the sources: with a promotion, a first picker takes the promoted slots' items (the best
    /// matching ones), then a second the rest; otherwise one picker.
    /// </summary>
    private ScoredId[] Answer(scoped AnswerSources sources, Span<ulong> blocked, RecommendQuery query, PageRules rules)
    {
        if (!TryCategory(query, out var category))
        {
            return [];
        }
        var scratch = RecommendScratch.ForThread();
        scratch.BeginAnswer();
        BlockExcluded(blocked, query);
        var total = query.Offset + query.N;
        var slots = rules.PromotedSlots(total);
        if (slots == 0)
        {
            var picker = new Picker(scratch, blocked, catalog, category, total, rules);
            Fill(sources, blocked, scratch, ref picker);
            return picker.ToResult(query.Offset, live);
        }
        scratch.RememberUserScores(); // both pickers ask the model for the same user: score once
        var promoted = new Picker(scratch, blocked, catalog, category, slots, rules.ForPromoted(), start: total);
        Fill(sources, blocked, scratch, ref promoted);
        var others = new Picker(scratch, blocked, catalog, category, total - promoted.Count, rules);
        Fill(sources, blocked, scratch, ref others);
        return Picker.Merge(others, promoted, rules.Rules!, query.Offset, live);
    }

    private void Fill(scoped AnswerSources sources, Span<ulong> blocked, RecommendScratch scratch, ref Picker picker)
    {
        if (sources.List is { } only)
        {
            FromList(only, sources.ListSource, ref picker);
            return;
        }
        if (sources.View is { } view && sources.History.Length > 0)
        {
            Personalised(view, sources.ModelUser, sources.History, sources.Weights, scratch, ref picker);
            if (!picker.IsFull && view.HasSimilarity)
            {
                ItemBased(view, sources.History, scratch, ref picker);
            }
        }
        FromList(lists.Trending, "trending", ref picker);
        FromList(lists.Latest, "latest", ref picker);
        FromList(lists.Popular, "popular", ref picker);
        for (var i = 0; i < blocked.Length * 64 && !picker.IsFull; i++)
        {
            picker.TryPick(i, 0f, CatalogSource);
        }
    }

    /// <summary>False when the query names a category no item ever had (the answer is empty).</summary>
    public bool TryCategory(RecommendQuery query, out BitSet? category)
    {
        category = null;
        if (string.IsNullOrEmpty(query.Category))
        {
            return true;
        }
        category = catalog.Category(query.Category);
        return category is not null;
    }

    public void BlockExcluded(Span<ulong> blocked, RecommendQuery query)
    {
        if (query.Exclude is null)
        {
            return;
        }
        foreach (var id in query.Exclude)
        {
            if (id is not null && live.TryGetItemIndex(id, out var item) && (item >> 6) < blocked.Length)
            {
                blocked[item >> 6] |= 1UL << item;
            }
        }
    }

    private void Personalised(ModelView view, int modelUser, scoped ReadOnlySpan<int> history, scoped ReadOnlySpan<float> weights,
        RecommendScratch scratch, ref Picker picker)
    {
        if (view.MapsItems)
        {
            var items = scratch.Items(history.Length);
            var mapped = scratch.Weights(history.Length);
            var n = 0;
            for (var i = 0; i < history.Length; i++)
            {
                var m = view.ToModel(history[i]);
                if (m >= 0)
                {
                    items[n] = m;
                    mapped[n++] = weights[i];
                }
            }
            history = items[..n];
            weights = mapped[..n];
        }
        var user = new UserHistory(modelUser, history, weights);
        _candidates.Pick(view, CandidateQuery.ForUser(user), view.Kind, scratch, ref picker);
    }

    /// <summary>Candidates similar to the newest history items the model knows (up to RecentItems), the newest seed first.</summary>
    private void ItemBased(ModelView view, scoped ReadOnlySpan<int> history, RecommendScratch scratch, ref Picker picker)
    {
        var seeds = scratch.Seeds(Math.Min(history.Length, options.RecentItems));
        var n = 0;
        for (var r = 0; r < seeds.Length; r++)
        {
            var seed = view.ToModel(history[history.Length - 1 - r]);
            if (seed >= 0)
            {
                seeds[n++] = seed;
            }
        }
        _candidates.Pick(view, CandidateQuery.SimilarTo(seeds[..n]), ItemToItemSource, scratch, ref picker);
    }

    private static void FromList(ScoredItem[] list, string source, ref Picker picker)
    {
        for (var i = 0; i < list.Length && !picker.IsFull; i++)
        {
            picker.TryPick(list[i].ItemIndex, list[i].Score, source);
        }
    }
}
