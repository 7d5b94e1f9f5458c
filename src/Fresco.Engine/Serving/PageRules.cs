using Fresco.Engine.Catalog;
using Fresco.Engine.Impressions;
using Fresco.Engine.Scenarios;

namespace Fresco.Engine.Serving;

/// <summary>
/// What a scenario asks of one list, as a <see cref="Picker"/> applies it: the scenario's rules (null: none), the
/// request's time (for age limits), the items the filter and the promotion match under the request's parameters
/// (<see cref="CompiledRule.ItemsFor"/>), whether this picker fills the promoted slots (then only promoted items are
/// eligible) and what the user was shown lately (for a rotation; null: nothing or no user). Immutable value, made once
/// per request.
/// </summary>
internal readonly struct PageRules
{
    private readonly BitSet? _promotedItems;

    public PageRules(ScenarioRules? rules, long nowTicks, BitSet? filterItems, BitSet? promotedItems, bool promotedLane = false,
        ShownItems? shown = null)
    {
        Rules = rules;
        NowTicks = nowTicks;
        FilterItems = filterItems;
        _promotedItems = promotedItems;
        PromotedLane = promotedLane;
        Shown = shown;
    }

    public ScenarioRules? Rules { get; }

    public long NowTicks { get; }

    public bool PromotedLane { get; }

    /// <summary>Eligible items must match this rule (the scenario's filter); null: any.</summary>
    public CompiledRule? Filter => Rules?.Filter;

    /// <summary>The items whose stored fields match <see cref="Filter"/> under the request's parameters.</summary>
    public BitSet? FilterItems { get; }

    /// <summary>In the promoted lane, eligible items must also match this rule; null: any.</summary>
    public CompiledRule? Only => PromotedLane ? Rules?.Promoted : null;

    /// <summary>The items whose stored fields match <see cref="Only"/> under the request's parameters.</summary>
    public BitSet? OnlyItems => PromotedLane ? _promotedItems : null;

    /// <summary>The promotion's matching items under the request's parameters, in either lane (for the result cache's key).</summary>
    public BitSet? PromotedItems => _promotedItems;

    public int MaxPerCategory => Rules?.MaxPerCategory ?? 0;

    public bool HasBoosts => Rules is { Boosts.Length: > 0 };

    public ShownItems? Shown { get; }

    /// <summary>Whether scores are rotated: the scenario has a rotation and the user was shown something.</summary>
    public bool Rotates => Rules is { RotationFactor: > 0f } && Shown is { Items.Length: > 0 };

    /// <summary>Whether scores are changed before selection (boosts or a rotation).</summary>
    public bool Reweights => HasBoosts || Rotates;

    /// <summary>The oldest showing (UTC ticks) the rotation counts.</summary>
    public long RotationOldestTicks => NowTicks - (Rules?.RotationTicks ?? 0);

    /// <summary>The rotation's factor for a live item: the scenario's when the user was shown it within the rotation's hours, else 1.</summary>
    public float RotationOf(int itemIndex) =>
        Rotates && Shown!.ShownSince(itemIndex, RotationOldestTicks) ? Rules!.RotationFactor : 1f;

    /// <summary>How many of the first <paramref name="total"/> slots the promoted lane fills (0 without promotion).</summary>
    public int PromotedSlots(int total) => Rules?.PromotedSlots(total) ?? 0;

    public PageRules ForPromoted() => new(Rules, NowTicks, FilterItems, _promotedItems, promotedLane: true, Shown);

    /// <summary>
    /// The rules of <paramref name="rules"/> at <paramref name="nowTicks"/> under the request's <paramref name="parameters"/>,
    /// with what the user was <paramref name="shown"/> (read only by a rotation).
    /// </summary>
    public static PageRules Of(ScenarioRules? rules, long nowTicks, IReadOnlyDictionary<string, string>? parameters, ItemCatalog catalog,
        ShownItems? shown = null) =>
        rules is null
            ? default
            : new PageRules(rules, nowTicks, rules.Filter?.ItemsFor(parameters, catalog), rules.Promoted?.ItemsFor(parameters, catalog),
                shown: shown);
}
