using Fresco.Core.Ranking;
using Fresco.Engine.Catalog;
using Fresco.Engine.Scenarios;

namespace Fresco.Engine.Serving;

/// <summary>
/// The ranking mask over live item indices that a <see cref="Picker"/> applies: not blocked (history, consumed,
/// excluded, already picked), visible, in the category when one is asked for, and matching the scenario's filter (and,
/// for the promoted slots, its promotion) under the request's parameters when the request names a scenario. Items beyond the blocked set's range
/// (registered during this call) are never allowed. Lives on the stack of one call; reads the blocked set in place, so
/// it sees every pick made.
/// </summary>
internal readonly ref struct EligibleItems : IItemMask
{
    private readonly ReadOnlySpan<ulong> _blocked;
    private readonly ItemCatalog _catalog;
    private readonly BitSet? _category;
    private readonly CompiledRule? _filter;
    private readonly BitSet? _filterItems;
    private readonly long _filterOldest;
    private readonly CompiledRule? _only;
    private readonly BitSet? _onlyItems;
    private readonly long _onlyOldest;

    public EligibleItems(ReadOnlySpan<ulong> blocked, ItemCatalog catalog, BitSet? category, PageRules rules)
    {
        _blocked = blocked;
        _catalog = catalog;
        _category = category;
        _filter = rules.Filter;
        _filterItems = rules.FilterItems;
        _filterOldest = _filter?.OldestTicks(rules.NowTicks) ?? 0;
        _only = rules.Only;
        _onlyItems = rules.OnlyItems;
        _onlyOldest = _only?.OldestTicks(rules.NowTicks) ?? 0;
    }

    public bool Allows(int itemIndex)
    {
        var word = itemIndex >> 6;
        return (uint)word < (uint)_blocked.Length
            && (_blocked[word] & (1UL << itemIndex)) == 0
            && _catalog.IsVisible(itemIndex)
            && (_category is null || _category.Contains(itemIndex))
            && (_filter is null || _filter.Matches(_filterItems!, itemIndex, _catalog, _filterOldest))
            && (_only is null || _only.Matches(_onlyItems!, itemIndex, _catalog, _onlyOldest));
    }
}
