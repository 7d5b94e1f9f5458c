using Fresco.Engine.Catalog;
using Fresco.Engine.Models;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// A scenario's definition compiled once (<see cref="Compile"/>) into what the recommendation pipeline reads: the
/// model choice, the filter, the boosts with their factors, the diversity cap, the promotion and the rotation. Its rules follow the catalog as an
/// <see cref="IItemListener"/> (attached by <see cref="ScenarioRegistry"/>); an expression that fails on an item written
/// later does not match it and is counted in <see cref="EvaluationErrors"/>, so a rule never fails a request.
/// Thread-safe: the rules are immutable but for their item sets, which <see cref="CompiledRule"/> keeps thread-safe.
/// </summary>
internal sealed class ScenarioRules : IItemListener
{
    private readonly CompiledRule[] _rules;
    private readonly int[] _agedBoosts;
    private float[] _factors = [];
    private long _errors;

    private ScenarioRules(Scenario definition)
    {
        Model = definition.Model is null ? null : ModelChoice.Parse(definition.Model, "Model");
        Filter = definition.Filter is null ? null : new CompiledRule(definition.Filter, "Filter");
        var boosts = definition.Boosts ?? [];
        Boosts = new CompiledRule[boosts.Count];
        Factors = new float[boosts.Count];
        for (var i = 0; i < boosts.Count; i++)
        {
            var where = $"Boosts[{i}]";
            var boost = boosts[i] ?? throw new ScenarioException(where, "is null.");
            if (!(boost.Factor > 0) || boost.Factor > 1e6)
            {
                throw new ScenarioException(where + ".Factor", $"must be above 0 and at most 1e6, not {boost.Factor}.");
            }
            Boosts[i] = new CompiledRule(boost, where);
            if (Boosts[i].ParameterNames.Length > 0)
            {
                throw new ScenarioException(where + ".Expression", "request parameters are read by filters only (Filter, Promote.Filter), not by boosts.");
            }
            Factors[i] = (float)boost.Factor;
        }
        if (definition.Diversity is { } diversity)
        {
            MaxPerCategory = diversity.MaxPerCategory >= 1
                ? diversity.MaxPerCategory
                : throw new ScenarioException("Diversity.MaxPerCategory", $"must be at least 1, not {diversity.MaxPerCategory}.");
        }
        if (definition.Promote is { } promote)
        {
            Promoted = new CompiledRule(promote.Filter ?? throw new ScenarioException("Promote.Filter", "is required: it says which items are promoted."),
                "Promote.Filter");
            Share = promote.Share is > 0 and <= 1
                ? promote.Share
                : throw new ScenarioException("Promote.Share", $"must be above 0 and at most 1, not {promote.Share}.");
        }
        if (definition.Rotation is { } rotation)
        {
            RotationFactor = rotation.Factor is > 0 and <= 1
                ? (float)rotation.Factor
                : throw new ScenarioException("Rotation.Factor", $"must be above 0 and at most 1, not {rotation.Factor}.");
            RotationTicks = rotation.Hours is > 0 and <= MaxRotationHours
                ? (long)(rotation.Hours * TimeSpan.TicksPerHour)
                : throw new ScenarioException("Rotation.Hours", $"must be above 0 and at most {MaxRotationHours}, not {rotation.Hours}.");
        }
        _rules = [.. new[] { Filter, Promoted }.OfType<CompiledRule>(), .. Boosts];
        _agedBoosts = [.. Enumerable.Range(0, Boosts.Length).Where(i => Boosts[i].MaxAgeTicks != 0)];
    }

    /// <summary>The model that scores under this scenario; null: the serving model.</summary>
    public ModelChoice? Model { get; }

    /// <summary>The longest look-back of a rotation (a year).</summary>
    public const double MaxRotationHours = 8784;

    /// <summary>The factor of items shown to the user within <see cref="RotationTicks"/>; 0: no rotation.</summary>
    public float RotationFactor { get; }

    /// <summary>How far back a rotation looks (ticks).</summary>
    public long RotationTicks { get; }

    /// <summary>Only matching items are eligible; null: every item.</summary>
    public CompiledRule? Filter { get; }

    public CompiledRule[] Boosts { get; }

    /// <summary>The factor of each of <see cref="Boosts"/>.</summary>
    public float[] Factors { get; }

    /// <summary>At most this many items per category in a list; 0: no cap.</summary>
    public int MaxPerCategory { get; }

    /// <summary>Which items the promoted slots take; null: no promotion.</summary>
    public CompiledRule? Promoted { get; }

    /// <summary>The share of promoted slots.</summary>
    public double Share { get; }

    /// <summary>Items on which an expression failed after the scenario was written (they did not match).</summary>
    public long EvaluationErrors => Interlocked.Read(ref _errors) + _rules.Sum(r => r.BindingErrors);

    /// <summary>Validates and compiles a definition; throws <see cref="ScenarioException"/> naming the bad field.</summary>
    public static ScenarioRules Compile(Scenario definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ScenarioRules(definition);
    }

    /// <summary>
    /// Per live item, the product of the factors of the boosts without an age limit that match it (1 when none does),
    /// kept current as items change; items beyond its length have 1. Read it once per request.
    /// </summary>
    public float[] StaticFactors => Volatile.Read(ref _factors);

    /// <summary>Whether some boost has an age limit (its factor is not in <see cref="StaticFactors"/>).</summary>
    public bool HasAgedBoosts => _agedBoosts.Length > 0;

    /// <summary>The product of the factors of the boosts matching a live item (1 when none does).</summary>
    public float BoostOf(int itemIndex, ItemCatalog catalog, long nowTicks)
    {
        var factors = StaticFactors;
        return ((uint)itemIndex < (uint)factors.Length ? factors[itemIndex] : 1f) * AgedBoostOf(itemIndex, catalog, nowTicks);
    }

    /// <summary>The product of the factors of the boosts with an age limit that match a live item now (1 when none does).</summary>
    public float AgedBoostOf(int itemIndex, ItemCatalog catalog, long nowTicks)
    {
        var factor = 1f;
        foreach (var i in _agedBoosts)
        {
            if (Boosts[i].Matches(itemIndex, catalog, Boosts[i].OldestTicks(nowTicks)))
            {
                factor *= Factors[i];
            }
        }
        return factor;
    }

    /// <summary>Whether list position <paramref name="position"/> (from 0) is a promoted slot.</summary>
    public bool IsPromotedSlot(int position) =>
        Promoted is not null && Math.Floor((position + 1) * Share) > Math.Floor(position * Share);

    /// <summary>How many of the first <paramref name="total"/> positions are promoted slots.</summary>
    public int PromotedSlots(int total) => Promoted is null ? 0 : (int)Math.Floor(total * Share);

    /// <summary>Stops following the catalog (the scenario version is no longer served), with every rule's parameter bindings.</summary>
    public void Retire(ItemCatalog catalog)
    {
        catalog.Detach(this);
        foreach (var rule in _rules)
        {
            rule.Retire(catalog);
        }
    }

    /// <summary>Evaluates every rule on the item, throwing <see cref="ScenarioException"/> on the first failure (the check when written).</summary>
    public void Check(int itemIndex, Item? item)
    {
        foreach (var rule in _rules)
        {
            rule.Update(itemIndex, item);
        }
        UpdateFactor(itemIndex);
    }

    public void ItemChanged(int itemIndex, Item? item)
    {
        foreach (var rule in _rules)
        {
            try
            {
                rule.Update(itemIndex, item);
            }
            catch (ScenarioException)
            {
                rule.Update(itemIndex, null);
                Interlocked.Increment(ref _errors);
            }
        }
        UpdateFactor(itemIndex);
    }

    /// <summary>Recomputes the item's static factor (under the catalog's write lock: one writer at a time).</summary>
    private void UpdateFactor(int itemIndex)
    {
        if (Boosts.Length == 0)
        {
            return;
        }
        var factor = 1f;
        for (var i = 0; i < Boosts.Length; i++)
        {
            if (Boosts[i].MaxAgeTicks == 0 && Boosts[i].MatchesFields(itemIndex))
            {
                factor *= Factors[i];
            }
        }
        var factors = _factors;
        if (itemIndex >= factors.Length)
        {
            var grown = new float[Math.Max(itemIndex + 1, 2 * factors.Length)];
            factors.CopyTo(grown, 0);
            grown.AsSpan(factors.Length).Fill(1f);
            factors = grown;
        }
        factors[itemIndex] = factor;
        Volatile.Write(ref _factors, factors);
    }
}
