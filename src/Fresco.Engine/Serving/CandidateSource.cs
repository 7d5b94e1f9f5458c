using System.Numerics.Tensors;
using Fresco.Core.Ranking;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// Where a serving model's candidates come from, decided in this one place: the view's approximate nearest-neighbour
/// <see cref="ModelView.Retriever"/> when it has one and the live catalog holds more than
/// <see cref="RecommendOptions.AnnThreshold"/> items; otherwise exact scoring of every model item, masked and selected by
/// <see cref="Ranker"/>. Either way the candidates go to the picker best first, positive scores only, until it is full.
/// Seeds are retrieved one by one (each seed's neighbours picked before the next seed is asked) but scored exactly as
/// one summed similarity. Thread-safe (the scratch and the picker are the caller's).
/// </summary>
internal sealed class CandidateSource(LiveInteractions live, RecommendOptions options)
{
    /// <summary>Adds the model's candidates for <paramref name="query"/> to <paramref name="picker"/>, with <paramref name="source"/>.</summary>
    public void Pick(ModelView view, scoped CandidateQuery query, string source, RecommendScratch scratch, ref Picker picker)
    {
        var retriever = view.Retriever;
        if (retriever is not null && live.ItemCount > options.AnnThreshold)
        {
            Retrieve(view, retriever, query, source, scratch, ref picker);
        }
        else
        {
            Score(view, query, source, scratch, ref picker);
        }
    }

    private static void Retrieve(ModelView view, ICandidateRetriever retriever, scoped CandidateQuery query, string source,
        RecommendScratch scratch, ref Picker picker)
    {
        var itemCount = view.Model.ItemCount;
        if (query.IsUser)
        {
            // Over-fetch: the retriever cannot leave out the history and other ineligible items.
            var top = scratch.Top(Math.Min(itemCount, 2 * picker.Wanted(itemCount) + query.User.Items.Length + 16));
            top = top[..retriever.Retrieve(query.User, top)];
            Boost(view, top, ref picker);
            PickFrom(view, top, source, ref picker);
            return;
        }
        var similar = scratch.Top(Math.Min(itemCount, 2 * picker.Wanted(itemCount) + 16));
        foreach (var seed in query.Seeds)
        {
            if (picker.IsFull)
            {
                return;
            }
            var found = similar[..retriever.RetrieveSimilar(seed, similar)];
            Boost(view, found, ref picker);
            PickFrom(view, found, source, ref picker);
        }
    }

    private static void Score(ModelView view, scoped CandidateQuery query, string source, RecommendScratch scratch, ref Picker picker)
    {
        var model = view.Model;
        Span<float> scores;
        if (query.IsUser)
        {
            scores = scratch.Scores(model.ItemCount);
            if (!scratch.TryRecallUserScores(scores))
            {
                model.Score(query.User, scores);
                scratch.KeepUserScores(scores);
            }
        }
        else if (query.Seeds.Length == 1)
        {
            // The sum over one seed is its similarity: no summing pass.
            scores = scratch.Scores(model.ItemCount);
            if (!model.TryScoreSimilar(query.Seeds[0], scores))
            {
                return;
            }
        }
        else if (query.Seeds.Length > 1)
        {
            scores = scratch.Sums(model.ItemCount);
            var similar = scratch.Scores(model.ItemCount);
            foreach (var seed in query.Seeds)
            {
                if (model.TryScoreSimilar(seed, similar))
                {
                    TensorPrimitives.Add(scores, similar, scores);
                }
            }
        }
        else
        {
            return;
        }
        if (picker.Rules.HasBoosts)
        {
            Boost(view, scores, ref picker);
        }
        if (picker.Rules.Rotates)
        {
            Rotate(view, scores, picker.Rules);
        }
        var top = scratch.Top(picker.Wanted(model.ItemCount));
        var count = Ranker.Select(scores, new EligibleModelItems(view, picker.Eligible), top, positiveOnly: true);
        PickFrom(view, top[..count], source, ref picker);
    }

    /// <summary>
    /// Multiplies each model score by the scenario's boosts of its live item, before selection: the factors of the boosts
    /// without an age limit are kept per item (one SIMD multiply when model and live indices agree), the others are
    /// checked per positive score. A negative score stays negative, so it is still never picked.
    /// </summary>
    private static void Boost(ModelView view, Span<float> scores, ref Picker picker)
    {
        var rules = picker.Rules.Rules!;
        var factors = rules.StaticFactors;
        if (view.IsIdentity && factors.Length >= scores.Length)
        {
            TensorPrimitives.Multiply(scores, factors.AsSpan(0, scores.Length), scores);
        }
        else
        {
            for (var m = 0; m < scores.Length; m++)
            {
                if ((uint)view.ToLive(m) < (uint)factors.Length)
                {
                    scores[m] *= factors[view.ToLive(m)];
                }
            }
        }
        if (rules.HasAgedBoosts)
        {
            for (var m = 0; m < scores.Length; m++)
            {
                if (scores[m] > 0f && view.ToLive(m) is var item and >= 0)
                {
                    scores[m] *= picker.AgedBoostOf(item);
                }
            }
        }
    }

    /// <summary>
    /// Multiplies the model scores of the items the user was shown within the rotation's hours by its factor (a positive
    /// score only: a negative one is never picked anyway). O(items shown), no allocation.
    /// </summary>
    private static void Rotate(ModelView view, Span<float> scores, PageRules rules)
    {
        var shown = rules.Shown!;
        var oldest = rules.RotationOldestTicks;
        var factor = rules.Rules!.RotationFactor;
        for (var i = 0; i < shown.Items.Length; i++)
        {
            if (shown.Ticks[i] >= oldest && view.ToModel(shown.Items[i]) is var m and >= 0 && m < scores.Length && scores[m] > 0f)
            {
                scores[m] *= factor;
            }
        }
    }

    /// <summary>Applies the scenario's boosts and rotation to retrieved candidates and sorts them best first again (in place).</summary>
    private static void Boost(ModelView view, Span<ScoredItem> candidates, ref Picker picker)
    {
        if (!picker.Rules.Reweights)
        {
            return;
        }
        for (var i = 0; i < candidates.Length; i++)
        {
            var item = view.ToLive(candidates[i].ItemIndex);
            if (candidates[i].Score > 0f && item >= 0)
            {
                candidates[i] = new ScoredItem(candidates[i].ItemIndex, candidates[i].Score * picker.ReweightOf(item));
            }
        }
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
    }

    private static void PickFrom(ModelView view, ReadOnlySpan<ScoredItem> candidates, string source, ref Picker picker)
    {
        for (var i = 0; i < candidates.Length && !picker.IsFull; i++)
        {
            if (candidates[i].Score > 0f)
            {
                picker.TryPick(view.ToLive(candidates[i].ItemIndex), candidates[i].Score, source);
            }
        }
    }
}
