using Fresco.Core.Ranking;
using Fresco.Engine.Catalog;

namespace Fresco.Engine.Serving;

/// <summary>
/// The ranking mask over live item indices that a <see cref="Picker"/> applies: not blocked (history, consumed,
/// excluded, already picked), visible, and in the category when one is asked for. Items beyond the blocked set's range
/// (registered during this call) are never allowed. Lives on the stack of one call; reads the blocked set in place, so
/// it sees every pick made.
/// </summary>
internal readonly ref struct EligibleItems(ReadOnlySpan<ulong> blocked, ItemCatalog catalog, BitSet? category) : IItemMask
{
    private readonly ReadOnlySpan<ulong> _blocked = blocked;
    private readonly ItemCatalog _catalog = catalog;
    private readonly BitSet? _category = category;

    public bool Allows(int itemIndex)
    {
        var word = itemIndex >> 6;
        return (uint)word < (uint)_blocked.Length
            && (_blocked[word] & (1UL << itemIndex)) == 0
            && _catalog.IsVisible(itemIndex)
            && (_category is null || _category.Contains(itemIndex));
    }
}
