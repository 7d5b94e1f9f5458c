using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// Collects one answer: up to <see cref="Total"/> distinct live items that are visible, in the requested category
/// and not blocked (history, consumed, excluded, already picked), each with its score and source. Lives on the
/// stack of one call; its arrays are the thread's <see cref="RecommendScratch"/>.
/// </summary>
internal ref struct Picker
{
    private readonly Span<ulong> _blocked;
    private readonly RecommendScratch _scratch;

    public Picker(RecommendScratch scratch, Span<ulong> blocked, ItemCatalog catalog, BitSet? category, int total)
    {
        _scratch = scratch;
        _blocked = blocked;
        Eligible = new EligibleItems(blocked, catalog, category);
        Total = total;
        scratch.EnsurePicks(total);
    }

    public int Total { get; }

    public int Count { get; private set; }

    public readonly bool IsFull => Count >= Total;

    public readonly int Remaining => Total - Count;

    /// <summary>The items this picker may still take, as a ranking mask over live item indices.</summary>
    public EligibleItems Eligible { get; }

    public readonly bool IsEligible(int itemIndex) => Eligible.Allows(itemIndex);

    /// <summary>Adds the item when there is room and it is eligible; returns whether it was added.</summary>
    public bool TryPick(int itemIndex, float score, string source)
    {
        if (IsFull || !IsEligible(itemIndex))
        {
            return false;
        }
        _blocked[itemIndex >> 6] |= 1UL << itemIndex;
        _scratch.PickItems[Count] = itemIndex;
        _scratch.PickScores[Count] = score;
        _scratch.PickSources[Count] = source;
        Count++;
        return true;
    }

    public static void Block(Span<ulong> blocked, ReadOnlySpan<int> items)
    {
        foreach (var item in items)
        {
            var word = item >> 6;
            if ((uint)word < (uint)blocked.Length)
            {
                blocked[word] |= 1UL << item;
            }
        }
    }

    /// <summary>The picks after skipping <paramref name="offset"/>, with their outside ids.</summary>
    public readonly ScoredId[] ToResult(int offset, LiveInteractions live)
    {
        if (Count <= offset)
        {
            return [];
        }
        var result = new ScoredId[Count - offset];
        for (var i = 0; i < result.Length; i++)
        {
            var p = offset + i;
            result[i] = new ScoredId(live.GetItemId(_scratch.PickItems[p]), _scratch.PickScores[p], _scratch.PickSources[p]);
        }
        return result;
    }
}
