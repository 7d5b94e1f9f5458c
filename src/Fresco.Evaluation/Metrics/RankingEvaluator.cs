using System.Runtime.InteropServices;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;

namespace Fresco.Evaluation.Metrics;

/// <summary>
/// Full-ranking evaluation: for every user with at least one test item, rank ALL items by the model with the
/// user's training items masked (never sampled negatives) and score the top K against the test items.
/// Thread-safe (static); users are scored in parallel through <see cref="Recommender.RecommendBatch"/>.
/// </summary>
public static class RankingEvaluator
{
    private const int Chunk = 4096;

    /// <param name="train">The users x items matrix the model was fit on; its rows are masked.</param>
    /// <param name="test">Users x items, the relevant items (any stored entry is relevant).</param>
    public static RankingEvaluation Evaluate(
        IRecommender model,
        CsrMatrix train,
        CsrMatrix test,
        IEnumerable<int> ks,
        int threads = 0,
        CancellationToken cancellationToken = default)
    {
        if (train.Rows != test.Rows || train.Columns != test.Columns)
        {
            throw new ArgumentException($"Training ({train.Rows} x {train.Columns}) and test ({test.Rows} x {test.Columns}) matrices differ in shape.");
        }
        var accumulator = new MetricAccumulator(ks, test.Columns);
        var k = accumulator.MaxK;
        var users = new List<int>();
        for (var u = 0; u < test.Rows; u++)
        {
            if (test.RowLength(u) > 0)
            {
                users.Add(u);
            }
        }
        var chunk = Math.Min(Chunk, users.Count);
        var results = new ScoredItem[chunk * k];
        var counts = new int[chunk];
        var ranked = new int[k];
        var userSpan = CollectionsMarshal.AsSpan(users);
        for (var start = 0; start < users.Count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(chunk, users.Count - start);
            var batch = userSpan.Slice(start, length);
            model.RecommendBatch(batch, train, k, results, counts, threads);
            for (var i = 0; i < length; i++)
            {
                var list = results.AsSpan(i * k, counts[i]);
                for (var r = 0; r < list.Length; r++)
                {
                    ranked[r] = list[r].ItemIndex;
                }
                accumulator.Add(ranked.AsSpan(0, list.Length), test.RowIndices(batch[i]));
            }
        }
        return new RankingEvaluation(accumulator.Result(), accumulator.Users);
    }
}
