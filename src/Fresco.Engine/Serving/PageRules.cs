using Fresco.Engine.Scenarios;

namespace Fresco.Engine.Serving;

/// <summary>
/// What a scenario asks of one list, as a <see cref="Picker"/> applies it: the scenario's rules (null: none), the
/// request's time (for age limits) and whether this picker fills the promoted slots (then only promoted items are
/// eligible). Immutable value, made once per request.
/// </summary>
internal readonly struct PageRules(ScenarioRules? rules, long nowTicks, bool promotedLane = false)
{
    public ScenarioRules? Rules { get; } = rules;

    public long NowTicks { get; } = nowTicks;

    public bool PromotedLane { get; } = promotedLane;

    /// <summary>Eligible items must match this rule (the scenario's filter); null: any.</summary>
    public CompiledRule? Filter => Rules?.Filter;

    /// <summary>In the promoted lane, eligible items must also match this rule; null: any.</summary>
    public CompiledRule? Only => PromotedLane ? Rules?.Promoted : null;

    public int MaxPerCategory => Rules?.MaxPerCategory ?? 0;

    public bool HasBoosts => Rules is { Boosts.Length: > 0 };

    /// <summary>How many of the first <paramref name="total"/> slots the promoted lane fills (0 without promotion).</summary>
    public int PromotedSlots(int total) => Rules?.PromotedSlots(total) ?? 0;

    public PageRules ForPromoted() => new(Rules, NowTicks, promotedLane: true);
}
