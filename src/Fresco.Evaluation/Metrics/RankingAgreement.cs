using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;

namespace Fresco.Evaluation.Metrics;

/// <summary>
/// How far two models' top-K lists agree over the evaluated users (the users with a test item), training items
/// masked as in <see cref="RankingEvaluator"/>: <c>Overlap@K</c> is the mean share of the reference's top K that
/// the model's top K also holds (1: the same items, in any order). Used to compare a quantized model with its
/// exact weights. Thread-safe (static); users are ranked in parallel.
/// </summary>
public static class RankingAgreement
{
    private const int Chunk = 4096;

    public static Dictionary<string, double> Overlap(
        IRecommender model,
        IRecommender reference,
        CsrMatrix train,
        CsrMatrix test,
        IEnumerable<int> ks,
        int threads = 0,
        CancellationToken cancellationToken = default)
    {
        int[] cutOffs = [.. ks.Distinct().Order()];
        if (cutOffs.Length == 0 || cutOffs[0] <= 0)
        {
            throw new ArgumentException("Cut-offs must be positive and at least one.", nameof(ks));
        }
        var k = cutOffs[^1];
        int[] users = [.. Enumerable.Range(0, test.Rows).Where(u => test.RowLength(u) > 0)];
        var sums = new double[cutOffs.Length];
        var chunk = Math.Max(1, Math.Min(Chunk, users.Length));
        var listed = new ScoredItem[chunk * k];
        var expected = new ScoredItem[chunk * k];
        var listedCounts = new int[chunk];
        var expectedCounts = new int[chunk];
        for (var start = 0; start < users.Length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = users.AsSpan(start, Math.Min(chunk, users.Length - start));
            model.RecommendBatch(batch, train, k, listed, listedCounts, threads);
            reference.RecommendBatch(batch, train, k, expected, expectedCounts, threads);
            for (var i = 0; i < batch.Length; i++)
            {
                var a = listed.AsSpan(i * k, listedCounts[i]);
                var b = expected.AsSpan(i * k, expectedCounts[i]);
                for (var c = 0; c < cutOffs.Length; c++)
                {
                    sums[c] += Share(a[..Math.Min(cutOffs[c], a.Length)], b[..Math.Min(cutOffs[c], b.Length)]);
                }
            }
        }
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var c = 0; c < cutOffs.Length; c++)
        {
            result[$"Overlap@{cutOffs[c]}"] = users.Length > 0 ? sums[c] / users.Length : 0;
        }
        return result;
    }

    /// <summary>The share of <paramref name="reference"/>'s items that <paramref name="list"/> holds (1 when both are empty). O(K^2).</summary>
    private static double Share(ReadOnlySpan<ScoredItem> list, ReadOnlySpan<ScoredItem> reference)
    {
        if (reference.IsEmpty)
        {
            return list.IsEmpty ? 1 : 0;
        }
        var shared = 0;
        foreach (var wanted in reference)
        {
            foreach (var item in list)
            {
                if (item.ItemIndex == wanted.ItemIndex)
                {
                    shared++;
                    break;
                }
            }
        }
        return (double)shared / reference.Length;
    }
}
