using System.Buffers;
using Fresco.Core.Data;
using Fresco.Core.Ranking;

namespace Fresco.Core.Models;

/// <summary>
/// Score, then mask, then select: the one path from an <see cref="IRecommender"/> to a top-N list, used by
/// evaluation, batch recommendation and the CLI; the masking and selection are <see cref="Ranker"/>'s, which
/// serving uses too. Thread-safe; scratch comes from the shared array pool, so a warmed call does not allocate.
/// </summary>
public static class Recommender
{
    /// <summary>
    /// Writes the best items for <paramref name="user"/> into <paramref name="destination"/>, best first, and
    /// returns how many were written. Items in the user's history are left out when <paramref name="excludeHistory"/>;
    /// items in <paramref name="exclude"/> and items outside <paramref name="allowed"/> (when given) always are.
    /// </summary>
    public static int Recommend(
        this IRecommender model,
        UserHistory user,
        Span<ScoredItem> destination,
        bool excludeHistory = true,
        ReadOnlySpan<int> exclude = default,
        ItemFilter? allowed = null)
    {
        var scores = ArrayPool<float>.Shared.Rent(model.ItemCount);
        try
        {
            var span = scores.AsSpan(0, model.ItemCount);
            model.Score(user, span);
            if (excludeHistory)
            {
                Ranker.Exclude(span, user.Items);
            }
            Ranker.Exclude(span, exclude);
            return allowed is null ? Ranker.Select(span, destination) : Ranker.Select(span, new AllowedItems(allowed), destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <summary>The items most similar to <paramref name="itemIndex"/>, the item itself left out; 0 when the model has no similarity.</summary>
    public static int SimilarItems(this IRecommender model, int itemIndex, Span<ScoredItem> destination, ItemFilter? allowed = null)
    {
        var scores = ArrayPool<float>.Shared.Rent(model.ItemCount);
        try
        {
            var span = scores.AsSpan(0, model.ItemCount);
            if (!model.TryScoreSimilar(itemIndex, span))
            {
                return 0;
            }
            span[itemIndex] = float.NegativeInfinity;
            return allowed is null ? Ranker.Select(span, destination) : Ranker.Select(span, new AllowedItems(allowed), destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <summary>Writes negative infinity over the given items (indices outside the span are ignored); <see cref="Ranker.Exclude"/>.</summary>
    public static void Mask(Span<float> scores, ReadOnlySpan<int> items) => Ranker.Exclude(scores, items);

    /// <summary>
    /// Top-<paramref name="k"/> for many known users, the history rows excluded; uses <see cref="IBatchScorer"/>
    /// when the model has it and runs users in parallel. Result row u holds up to k items (count in <paramref name="counts"/>).
    /// </summary>
    public static void RecommendBatch(
        this IRecommender model,
        ReadOnlySpan<int> userIndices,
        CsrMatrix history,
        int k,
        Span<ScoredItem> results,
        Span<int> counts,
        int threads = 0)
    {
        if (results.Length < userIndices.Length * k || counts.Length < userIndices.Length)
        {
            throw new ArgumentException("Result buffers are smaller than users x k.");
        }
        var users = userIndices.ToArray();
        var resultArray = new ScoredItem[users.Length * k];
        var countArray = new int[users.Length];
        var items = model.ItemCount;
        const int Block = 64;
        var blocks = (users.Length + Block - 1) / Block;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, blocks, options, () => new float[Block * items], (block, _, scores) =>
        {
            var start = block * Block;
            var length = Math.Min(Block, users.Length - start);
            var blockUsers = users.AsSpan(start, length);
            var blockScores = scores.AsSpan(0, length * items);
            if (model is IBatchScorer batch)
            {
                batch.ScoreBatch(blockUsers, history, blockScores);
            }
            else
            {
                for (var u = 0; u < length; u++)
                {
                    model.Score(UserHistory.FromMatrix(history, blockUsers[u]), blockScores.Slice(u * items, items));
                }
            }
            for (var u = 0; u < length; u++)
            {
                var row = blockScores.Slice(u * items, items);
                var user = blockUsers[u];
                if (user < history.Rows)
                {
                    Ranker.Exclude(row, history.RowIndices(user));
                }
                countArray[start + u] = Ranker.Select(row, resultArray.AsSpan((start + u) * k, k));
            }
            return scores;
        }, static _ => { });
        resultArray.CopyTo(results);
        countArray.CopyTo(counts);
    }

    /// <summary>An <see cref="ItemFilter"/> as the ranking kernel's mask.</summary>
    private readonly struct AllowedItems(ItemFilter filter) : IItemMask
    {
        public bool Allows(int itemIndex) => filter.Contains(itemIndex);
    }
}
