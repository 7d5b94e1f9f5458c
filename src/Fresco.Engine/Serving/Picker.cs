using Fresco.Engine.Catalog;
using Fresco.Engine.Realtime;
using Fresco.Engine.Scenarios;

namespace Fresco.Engine.Serving;

/// <summary>
/// Collects one answer: up to <see cref="Total"/> distinct live items that are <see cref="EligibleItems">eligible</see>
/// (visible, in the requested category, not blocked: history, consumed, excluded, already picked; matching the
/// scenario's filter), each with its score and source; with a scenario's diversity cap, an item whose category is full
/// is passed over (a greedy re-rank). Picks go to the thread's <see cref="RecommendScratch"/> from slot
/// <c>start</c>, so two pickers (the promoted slots and the others) can fill one answer. Lives on the stack of one call.
/// </summary>
internal ref struct Picker
{
    private readonly Span<ulong> _blocked;
    private readonly RecommendScratch _scratch;
    private readonly ItemCatalog _catalog;
    private readonly int _start;

    public Picker(RecommendScratch scratch, Span<ulong> blocked, ItemCatalog catalog, BitSet? category, int total, PageRules rules = default,
        int start = 0)
    {
        _scratch = scratch;
        _blocked = blocked;
        _catalog = catalog;
        _start = start;
        Rules = rules;
        Eligible = new EligibleItems(blocked, catalog, category, rules);
        Total = total;
        scratch.EnsurePicks(start + total);
    }

    public int Total { get; }

    public int Count { get; private set; }

    public readonly bool IsFull => Count >= Total;

    public readonly int Remaining => Total - Count;

    /// <summary>The items this picker may still take, as a ranking mask over live item indices.</summary>
    public EligibleItems Eligible { get; }

    public PageRules Rules { get; }

    /// <summary>How many candidates a stage should select for the picks left: more when the diversity cap may pass some over.</summary>
    public readonly int Wanted(int available) =>
        Math.Min(available, Rules.MaxPerCategory > 0 ? 4 * Remaining + 16 : Remaining);

    /// <summary>The product of the scenario's boosts matching a live item (1 without boosts).</summary>
    public readonly float BoostOf(int itemIndex) => Rules.Rules?.BoostOf(itemIndex, _catalog, Rules.NowTicks) ?? 1f;

    /// <summary>The product of the scenario's boosts matching a live item and its rotation factor (1 without either).</summary>
    public readonly float ReweightOf(int itemIndex) => BoostOf(itemIndex) * Rules.RotationOf(itemIndex);

    /// <summary>The product of the scenario's boosts with an age limit matching a live item now (1 without).</summary>
    public readonly float AgedBoostOf(int itemIndex) => Rules.Rules?.AgedBoostOf(itemIndex, _catalog, Rules.NowTicks) ?? 1f;

    public readonly bool IsEligible(int itemIndex) => Eligible.Allows(itemIndex);

    /// <summary>Adds the item when there is room, it is eligible and its categories are under the cap; returns whether it was added.</summary>
    public bool TryPick(int itemIndex, float score, string source)
    {
        if (IsFull || !IsEligible(itemIndex)
            || (Rules.MaxPerCategory > 0 && !_scratch.TryCountCategories(_catalog.CategoriesOf(itemIndex), Rules.MaxPerCategory)))
        {
            return false;
        }
        _blocked[itemIndex >> 6] |= 1UL << itemIndex;
        var slot = _start + Count;
        _scratch.PickItems[slot] = itemIndex;
        _scratch.PickScores[slot] = score;
        _scratch.PickSources[slot] = source;
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
            result[i] = Entry(offset + i, live);
        }
        return result;
    }

    /// <summary>
    /// The answer of two pickers, after skipping <paramref name="offset"/>: <paramref name="promoted"/>'s picks in the
    /// scenario's promoted slots (in their order), <paramref name="others"/>' picks in the rest; when one runs out, the
    /// other fills.
    /// </summary>
    public static ScoredId[] Merge(in Picker others, in Picker promoted, ScenarioRules rules, int offset, LiveInteractions live)
    {
        var count = others.Count + promoted.Count;
        if (count <= offset)
        {
            return [];
        }
        var result = new ScoredId[count - offset];
        int o = 0, p = 0;
        for (var slot = 0; slot < count; slot++)
        {
            var fromPromoted = p < promoted.Count && (o >= others.Count || rules.IsPromotedSlot(slot));
            var entry = fromPromoted ? promoted.Entry(p++, live) : others.Entry(o++, live);
            if (slot >= offset)
            {
                result[slot - offset] = entry;
            }
        }
        return result;
    }

    private readonly ScoredId Entry(int pick, LiveInteractions live)
    {
        var slot = _start + pick;
        return new ScoredId(live.GetItemId(_scratch.PickItems[slot]), _scratch.PickScores[slot], _scratch.PickSources[slot]);
    }
}
