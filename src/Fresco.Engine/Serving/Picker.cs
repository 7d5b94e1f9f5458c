using Fresco.Core.Ranking;
using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// Collects one answer: up to <see cref="Total"/> distinct live items that are visible, in the requested category
/// and not blocked (history, consumed, excluded, already picked), each with its score and source. Lives on the
/// stack of one call; its arrays are the thread's <see cref="RecommendScratch"/>. As an <see cref="IItemMask"/> over live
/// item indices it allows the eligible items.
/// </summary>
internal ref struct Picker : IItemMask
{
    private readonly Span<ulong> _blocked;
    private readonly ItemCatalog _catalog;
    private readonly BitSet? _category;
    private readonly RecommendScratch _scratch;

    public Picker(RecommendScratch scratch, Span<ulong> blocked, ItemCatalog catalog, BitSet? category, int total)
    {
        _scratch = scratch;
        _blocked = blocked;
        _catalog = catalog;
        _category = category;
        Total = total;
        scratch.EnsurePicks(total);
    }

    public int Total { get; }

    public int Count { get; private set; }

    public readonly bool IsFull => Count >= Total;

    public readonly int Remaining => Total - Count;

    /// <summary>Items beyond the blocked set's range (registered during this call) are never eligible.</summary>
    public readonly bool IsEligible(int itemIndex)
    {
        var word = itemIndex >> 6;
        return (uint)word < (uint)_blocked.Length
            && (_blocked[word] & (1UL << itemIndex)) == 0
            && _catalog.IsVisible(itemIndex)
            && (_category is null || _category.Contains(itemIndex));
    }

    public readonly bool Allows(int itemIndex) => IsEligible(itemIndex);

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
