using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Core.Ranking;

/// <summary>
/// Selects the k best scores with a fixed-size min-heap into a caller's span; no allocation. Scores that are
/// negative infinity or NaN (masked items) are never selected. Ties go to the lower item index.
/// Thread-safe (static, stateless).
/// </summary>
public static class TopK
{
    /// <summary>
    /// Writes the best <c>destination.Length</c> items of <paramref name="scores"/> to <paramref name="destination"/>,
    /// best first, and returns how many were written (fewer when fewer items are unmasked). O(n log k).
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, Span<ScoredItem> destination)
    {
        var k = destination.Length;
        if (k == 0)
        {
            return 0;
        }
        var count = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (count == k)
            {
                // Once the heap is full only a score above its worst can enter: skip to the next one.
                i = NextAbove(scores, i, destination[0].Score);
                if (i == scores.Length)
                {
                    break;
                }
            }
            var score = scores[i];
            if (!(score > float.NegativeInfinity))
            {
                continue;
            }
            if (count < k)
            {
                destination[count] = new ScoredItem(i, score);
                SiftUp(destination, count++);
            }
            else if (score > destination[0].Score)
            {
                // Strictly greater: an equal score at a higher index loses to the one already kept.
                destination[0] = new ScoredItem(i, score);
                SiftDown(destination, 0, k);
            }
        }
        SortDescending(destination[..count]);
        return count;
    }

    /// <summary>Same as <see cref="Select(ReadOnlySpan{float}, Span{ScoredItem})"/> over a subset of candidate items.</summary>
    public static int SelectFrom(ReadOnlySpan<int> candidates, ReadOnlySpan<float> candidateScores, Span<ScoredItem> destination)
    {
        var k = destination.Length;
        var count = 0;
        for (var i = 0; i < candidates.Length && k > 0; i++)
        {
            var score = candidateScores[i];
            if (!(score > float.NegativeInfinity))
            {
                continue;
            }
            var item = new ScoredItem(candidates[i], score);
            if (count < k)
            {
                destination[count] = item;
                SiftUp(destination, count++);
            }
            else if (Worse(destination[0], item))
            {
                destination[0] = item;
                SiftDown(destination, 0, k);
            }
        }
        SortDescending(destination[..count]);
        return count;
    }

    /// <summary>
    /// The first index at or after <paramref name="start"/> whose score is above <paramref name="threshold"/> (NaN never
    /// is), or the length; 16 scores per compare, so a walk over the few positive entries of a sparse score vector
    /// skips the zeros cheaply.
    /// </summary>
    public static int NextAbove(ReadOnlySpan<float> scores, int start, float threshold)
    {
        var i = start;
        if (Vector512.IsHardwareAccelerated)
        {
            var limit = Vector512.Create(threshold);
            ref var s = ref MemoryMarshal.GetReference(scores);
            for (; i + 16 <= scores.Length; i += 16)
            {
                if (Vector512.GreaterThanAny(Vector512.LoadUnsafe(ref s, (nuint)i), limit))
                {
                    break;
                }
            }
        }
        while (i < scores.Length && !(scores[i] > threshold))
        {
            i++;
        }
        return i;
    }

    /// <summary>Sorts best first: higher score, then lower item index. Heap sort, no allocation.</summary>
    public static void SortDescending(Span<ScoredItem> items)
    {
        // Build a min-heap (worst at the root), then repeatedly move the root to the end.
        for (var i = items.Length / 2 - 1; i >= 0; i--)
        {
            SiftDown(items, i, items.Length);
        }
        for (var end = items.Length - 1; end > 0; end--)
        {
            (items[0], items[end]) = (items[end], items[0]);
            SiftDown(items, 0, end);
        }
    }

    /// <summary>True when a ranks below b: lower score, or equal score and higher index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Worse(in ScoredItem a, in ScoredItem b) =>
        a.Score < b.Score || (a.Score == b.Score && a.ItemIndex > b.ItemIndex);

    private static void SiftUp(Span<ScoredItem> heap, int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Worse(heap[index], heap[parent]))
            {
                break;
            }
            (heap[index], heap[parent]) = (heap[parent], heap[index]);
            index = parent;
        }
    }

    private static void SiftDown(Span<ScoredItem> heap, int index, int length)
    {
        while (true)
        {
            var left = 2 * index + 1;
            if (left >= length)
            {
                return;
            }
            var worst = left;
            var right = left + 1;
            if (right < length && Worse(heap[right], heap[left]))
            {
                worst = right;
            }
            if (!Worse(heap[worst], heap[index]))
            {
                return;
            }
            (heap[index], heap[worst]) = (heap[worst], heap[index]);
            index = worst;
        }
    }
}
