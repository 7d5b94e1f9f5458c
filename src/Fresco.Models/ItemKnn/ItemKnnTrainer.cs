using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;

namespace Fresco.Models.ItemKnn;

/// <summary>
/// Builds the item-item neighbour lists: re-weights the interactions, then for each item (in parallel)
/// accumulates dot products with every co-occurring item through its users (sparse; O(sum over users of row
/// length squared) in total), turns them into shrunk cosines and keeps the best <c>neighbors</c>.
/// Thread-safe (static).
/// </summary>
public static class ItemKnnTrainer
{
    public static ItemKnnModel Train(TrainingContext context)
    {
        var options = (ItemKnnOptions)context.Options;
        var weighting = InteractionWeighting.Fit(context.Data.UserItems, options.Weighting, options.Bm25K1, options.Bm25B);
        var weighted = weighting.Apply(context.Data.UserItems);
        var itemUsers = weighted.Transpose();
        var items = weighted.Columns;
        var norms = new float[items];
        for (var i = 0; i < items; i++)
        {
            norms[i] = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(itemUsers.RowValues(i)));
        }
        var k = Math.Min(options.Neighbors, Math.Max(1, items - 1));
        var neighbours = new int[(long)items * k];
        var similarities = new float[(long)items * k];
        var counts = new int[items];
        var shrinkage = (float)options.Shrinkage;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveThreads, CancellationToken = context.CancellationToken };
        Parallel.For(0, items, parallel, () => new Scratch(items, k), (item, _, scratch) =>
        {
            counts[item] = Neighbours(weighted, itemUsers, norms, shrinkage, item, scratch,
                neighbours.AsSpan(item * k, k), similarities.AsSpan(item * k, k));
            return scratch;
        }, static _ => { });
        return new ItemKnnModel(Compact(items, k, counts, neighbours, similarities), weighting, options.ToDictionary());
    }

    private static int Neighbours(CsrMatrix userItems, CsrMatrix itemUsers, float[] norms, float shrinkage, int item,
        Scratch scratch, Span<int> neighbours, Span<float> similarities)
    {
        var dots = scratch.Dots;
        var touched = scratch.Touched;
        var count = 0;
        var users = itemUsers.RowIndices(item);
        var userWeights = itemUsers.RowValues(item);
        for (var u = 0; u < users.Length; u++)
        {
            var weight = userWeights[u];
            var columns = userItems.RowIndices(users[u]);
            var values = userItems.RowValues(users[u]);
            for (var p = 0; p < columns.Length; p++)
            {
                var other = columns[p];
                if (dots[other] == 0f)
                {
                    touched[count++] = other;
                }
                dots[other] += weight * values[p];
                if (dots[other] == 0f)
                {
                    dots[other] = float.Epsilon;
                }
            }
        }
        var candidates = scratch.Candidates;
        for (var t = 0; t < count; t++)
        {
            var other = touched[t];
            var denominator = (norms[item] * norms[other]) + shrinkage;
            candidates[t] = other == item || denominator <= 0f ? float.NegativeInfinity : dots[other] / denominator;
            dots[other] = 0f;
        }
        var best = scratch.Best;
        var kept = TopK.Select(candidates.AsSpan(0, count), best);
        for (var i = 0; i < kept; i++)
        {
            neighbours[i] = touched[best[i].ItemIndex];
            similarities[i] = best[i].Score;
        }
        return kept;
    }

    private static CsrMatrix Compact(int items, int k, int[] counts, int[] neighbours, float[] similarities)
    {
        var pointers = new long[items + 1];
        for (var i = 0; i < items; i++)
        {
            pointers[i + 1] = pointers[i] + counts[i];
        }
        var columns = new int[pointers[items]];
        var values = new float[pointers[items]];
        for (var i = 0; i < items; i++)
        {
            var start = (int)pointers[i];
            // Neighbour lists come best first; the CSR rows want ascending columns.
            var rowColumns = columns.AsSpan(start, counts[i]);
            var rowValues = values.AsSpan(start, counts[i]);
            neighbours.AsSpan(i * k, counts[i]).CopyTo(rowColumns);
            similarities.AsSpan(i * k, counts[i]).CopyTo(rowValues);
            rowColumns.Sort(rowValues);
        }
        return new CsrMatrix(items, items, pointers, columns, values);
    }

    /// <summary>Per-thread buffers: dense dot accumulators (kept zeroed between items) and candidate lists.</summary>
    private sealed class Scratch(int items, int k)
    {
        public float[] Dots { get; } = new float[items];

        public int[] Touched { get; } = new int[items];

        public float[] Candidates { get; } = new float[items];

        public ScoredItem[] Best { get; } = new ScoredItem[k];
    }
}
