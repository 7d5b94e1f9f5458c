using Fresco.Core.Ranking;
using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// Neighbour lists: similar items (the serving model's similarity, else co-occurrence in the live histories),
/// items bought together (co-occurrence restricted to buying event types) and similar users (cosine of the sets of
/// items in the live histories). No fallback padding: a list holds what has evidence. A scenario's filter, boosts and
/// diversity cap apply (its promotion does not: a neighbour list has no slots to promote into). Thread-safe; per-thread
/// scratch.
/// </summary>
internal sealed class Neighbors(LiveInteractions live, ItemCatalog catalog, RecommendPipeline pipeline, ulong boughtTypes,
    RecommendOptions options)
{
    public const string CoOccurrenceSource = "co-occurrence";
    public const string BoughtTogetherSource = "bought-together";
    public const string UserSource = "cosine";

    private readonly CandidateSource _candidates = new(live, options);

    /// <summary>Items similar to a live item, best first.</summary>
    public ScoredId[] SimilarItems(ModelView? view, int itemIndex, RecommendQuery query, PageRules rules = default)
    {
        var model = view is null ? -1 : view.ToModel(itemIndex);
        if (view is null || model < 0 || !view.HasSimilarity)
        {
            return CoOccurring(itemIndex, 0, CoOccurrenceSource, query, rules);
        }
        if (!pipeline.TryCategory(query, out var category))
        {
            return [];
        }
        var scratch = RecommendScratch.ForThread();
        var picker = NewPicker(scratch, itemIndex, category, query, rules);
        _candidates.Pick(view, CandidateQuery.SimilarTo(new ReadOnlySpan<int>(in model)), view.Kind, scratch, ref picker);
        return picker.ToResult(query.Offset, live);
    }

    /// <summary>
    /// Items co-occurring with a live item in the histories: with <paramref name="types"/> 0, every positive pair,
    /// scored by cosine (co-count / sqrt(popularity product)); otherwise only pairs with one of those event-type bits
    /// on both sides, scored by the co-count.
    /// </summary>
    public ScoredId[] CoOccurring(int itemIndex, ulong types, string source, RecommendQuery query, PageRules rules = default)
    {
        if (!pipeline.TryCategory(query, out var category))
        {
            return [];
        }
        var scratch = RecommendScratch.ForThread();
        var items = live.ItemCount;
        var sums = scratch.Sums(items);
        var buffer = scratch.Users;
        var count = live.UsersOf(itemIndex, ref buffer);
        scratch.Users = buffer;
        for (var u = 0; u < count; u++)
        {
            var snapshot = live.GetSnapshot(buffer[u]);
            if (types != 0 && !HasType(snapshot, itemIndex, types))
            {
                continue;
            }
            var row = snapshot.Items;
            var rowTypes = snapshot.Types;
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] < items && (types == 0 || (rowTypes[i] & types) != 0))
                {
                    sums[row[i]] += 1f;
                }
            }
        }
        if (types == 0)
        {
            // Cosine over the positive co-counts only; runs of zeros are skipped 16 at a time.
            for (var j = 0; j < items; j++)
            {
                if (!(sums[j] > 0f) && (j = TopK.NextAbove(sums, j, 0f)) == items)
                {
                    break;
                }
                sums[j] /= MathF.Sqrt((float)count * Math.Max(1, live.PopularityOf(j)));
            }
        }
        var picker = NewPicker(scratch, itemIndex, category, query, rules);
        if (rules.HasBoosts)
        {
            for (var j = 0; j < items; j++)
            {
                if (sums[j] > 0f)
                {
                    sums[j] *= picker.BoostOf(j);
                }
            }
        }
        var top = scratch.Top(picker.Wanted(items));
        var n = Ranker.Select(sums, picker.Eligible, top, positiveOnly: true);
        for (var i = 0; i < n; i++)
        {
            picker.TryPick(top[i].ItemIndex, top[i].Score, source);
        }
        return picker.ToResult(query.Offset, live);
    }

    public ScoredId[] BoughtTogether(int itemIndex, RecommendQuery query, PageRules rules = default) =>
        boughtTypes == 0 ? [] : CoOccurring(itemIndex, boughtTypes, BoughtTogetherSource, query, rules);

    /// <summary>Users sharing items with a user, by cosine of the item sets; existing users only, excluded ids left out.</summary>
    public ScoredId[] SimilarUsers(UserSnapshot own, RecommendQuery query)
    {
        var userIndex = own.UserIndex;
        var scratch = RecommendScratch.ForThread();
        var userCount = live.UserCount;
        var sums = scratch.Sums(userCount);
        var buffer = scratch.Users;
        foreach (var item in own.Items)
        {
            var count = live.UsersOf(item, ref buffer);
            for (var u = 0; u < count; u++)
            {
                if (buffer[u] < userCount)
                {
                    sums[buffer[u]] += 1f;
                }
            }
        }
        scratch.Users = buffer;
        sums[userIndex] = 0f;
        if (query.Exclude is not null)
        {
            foreach (var id in query.Exclude)
            {
                if (id is not null && live.TryGetUserIndex(id, out var excluded) && excluded < userCount)
                {
                    sums[excluded] = 0f;
                }
            }
        }
        for (var v = 0; v < userCount; v++)
        {
            if (!(sums[v] > 0f) && (v = TopK.NextAbove(sums, v, 0f)) == userCount)
            {
                break;
            }
            sums[v] /= MathF.Sqrt((float)own.Count * Math.Max(1, live.GetSnapshot(v).Count));
        }
        var top = scratch.Top(query.Offset + query.N);
        var n = Ranker.Select(sums, new ExistingUsers(live), top, positiveOnly: true);
        if (n <= query.Offset)
        {
            return [];
        }
        var result = new ScoredId[n - query.Offset];
        for (var i = 0; i < result.Length; i++)
        {
            var pick = top[query.Offset + i];
            result[i] = new ScoredId(live.GetUserId(pick.ItemIndex), pick.Score, UserSource);
        }
        return result;
    }

    private Picker NewPicker(RecommendScratch scratch, int itemIndex, BitSet? category, RecommendQuery query, PageRules rules)
    {
        scratch.BeginAnswer();
        var blocked = scratch.Blocked(live.ItemCount);
        Picker.Block(blocked, [itemIndex]);
        pipeline.BlockExcluded(blocked, query);
        return new Picker(scratch, blocked, catalog, category, query.Offset + query.N, rules);
    }

    private static bool HasType(UserSnapshot snapshot, int itemIndex, ulong types)
    {
        var items = snapshot.Items;
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] == itemIndex)
            {
                return (snapshot.Types[i] & types) != 0;
            }
        }
        return false;
    }

    /// <summary>The ranking mask over live user indices: users that exist (not deleted).</summary>
    private readonly struct ExistingUsers(LiveInteractions live) : IItemMask
    {
        public bool Allows(int itemIndex) => live.UserExists(itemIndex);
    }
}
