using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Evaluation.Metrics;

namespace Fresco.Engine.Training;

/// <summary>
/// Full-ranking evaluation of a candidate and of the serving model on the same hold-out (every item ranked, the
/// user's training items masked). The serving model is scored by fold-in from each user's training row, in its
/// own item space (mapped by item id); a held-out item it does not know counts as a miss for BOTH models, so
/// both metrics average over the same users. Metric names are lower case (<c>ndcg@10</c>, <c>hr@10</c>,
/// <c>recall@10</c>, ...). Thread-safe (static).
/// </summary>
internal static class HoldoutEvaluator
{
    public const string HoldoutUsers = "holdout.users";

    private static readonly string[] s_metrics = ["hr", "recall", "precision", "ndcg", "map", "mrr"];

    /// <summary>
    /// Scores <paramref name="candidate"/>, the serving model (when one is served) and <paramref name="baseline"/> (when
    /// given: the popularity model trained on the same data) on the hold-out. The candidate and the baseline are scored
    /// over the same users as the serving model, so the three are comparable.
    /// </summary>
    public static HoldoutScores Evaluate(IRecommender candidate, IRecommender? baseline, Holdout holdout,
        IReadOnlyList<string> itemIds, ServingModel? serving, IReadOnlyList<int> ks, int threads, CancellationToken cancellationToken)
    {
        var total = holdout.Users.Length;
        if (serving is null)
        {
            var test = holdout.TestMatrix();
            return new HoldoutScores(
                Named(RankingEvaluator.Evaluate(candidate, holdout.Train, test, ks, threads, cancellationToken).Metrics, 1, total),
                null,
                baseline is null ? null
                    : Named(RankingEvaluator.Evaluate(baseline, holdout.Train, test, ks, threads, cancellationToken).Metrics, 1, total));
        }

        var map = ItemMap(itemIds, serving.Ids.ItemIds);
        var comparable = 0;
        foreach (var item in holdout.Items)
        {
            comparable += map[item] >= 0 ? 1 : 0;
        }
        var share = total == 0 ? 1 : (double)comparable / total;
        var comparableTest = holdout.TestMatrix(i => map[holdout.Items[i]] >= 0);
        var candidateResult = RankingEvaluator.Evaluate(candidate, holdout.Train, comparableTest, ks, threads, cancellationToken);
        var baselineResult = baseline is null ? null
            : RankingEvaluator.Evaluate(baseline, holdout.Train, comparableTest, ks, threads, cancellationToken);
        var (train, servingTest) = InServingSpace(holdout, map, serving.Model.ItemCount);
        var servingResult = RankingEvaluator.Evaluate(new FoldInRecommender(serving.Model), train, servingTest, ks, threads, cancellationToken);
        return new HoldoutScores(Named(candidateResult.Metrics, share, total), Named(servingResult.Metrics, share, total),
            baselineResult is null ? null : Named(baselineResult.Metrics, share, total));
    }

    /// <summary>For every current item index, the serving model's index of the same id, or -1.</summary>
    internal static int[] ItemMap(IReadOnlyList<string> itemIds, IReadOnlyList<string> servingItemIds)
    {
        var map = new int[itemIds.Count];
        var prefix = servingItemIds.Count <= itemIds.Count;
        for (var j = 0; prefix && j < servingItemIds.Count; j++)
        {
            prefix = string.Equals(itemIds[j], servingItemIds[j], StringComparison.Ordinal);
        }
        if (prefix)
        {
            for (var j = 0; j < map.Length; j++)
            {
                map[j] = j < servingItemIds.Count ? j : -1;
            }
            return map;
        }

        var byId = new Dictionary<string, int>(servingItemIds.Count, StringComparer.Ordinal);
        for (var j = 0; j < servingItemIds.Count; j++)
        {
            byId[servingItemIds[j]] = j;
        }
        for (var j = 0; j < map.Length; j++)
        {
            map[j] = byId.TryGetValue(itemIds[j], out var index) ? index : -1;
        }
        return map;
    }

    /// <summary>One row per comparable held-out user: the training row and the held-out item, in the serving model's items.</summary>
    private static (CsrMatrix Train, CsrMatrix Test) InServingSpace(Holdout holdout, int[] map, int servingItems)
    {
        var rows = new List<int>();
        for (var i = 0; i < holdout.Users.Length; i++)
        {
            if (map[holdout.Items[i]] >= 0)
            {
                rows.Add(i);
            }
        }
        var train = new CsrBuilder(rows.Count, servingItems);
        var test = new CsrBuilder(rows.Count, servingItems);
        for (var r = 0; r < rows.Count; r++)
        {
            var i = rows[r];
            var items = holdout.Train.RowIndices(holdout.Users[i]);
            var weights = holdout.Train.RowValues(holdout.Users[i]);
            for (var k = 0; k < items.Length; k++)
            {
                if (map[items[k]] >= 0)
                {
                    train.Add(r, map[items[k]], weights[k]);
                }
            }
            test.Add(r, map[holdout.Items[i]], 1f);
        }
        return (train.Build(), test.Build());
    }

    /// <summary>Lower-case names, each average scaled by the share of users that could be compared (the rest are misses).</summary>
    private static Dictionary<string, double> Named(IReadOnlyDictionary<string, double> metrics, double share, int users)
    {
        var named = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in metrics)
        {
            if (!name.StartsWith("Coverage", StringComparison.Ordinal))
            {
                named[name.ToLowerInvariant()] = value * share;
            }
        }
        named[HoldoutUsers] = users;
        return named;
    }

    /// <summary>The cut-off of a metric name such as <c>ndcg@10</c>; throws when it is not a metric this evaluator reports.</summary>
    internal static int CutOff(string metric)
    {
        var at = metric.LastIndexOf('@');
        if (at < 0 || !s_metrics.Contains(metric[..at]) || !int.TryParse(metric.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
        {
            throw new ArgumentException($"Metric '{metric}' is not one of {string.Join(", ", s_metrics)} with a cut-off (e.g. ndcg@10).", nameof(metric));
        }
        return k;
    }
}
