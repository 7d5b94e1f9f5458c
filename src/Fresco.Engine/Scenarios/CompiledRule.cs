using Fresco.Engine.Catalog;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// An <see cref="ItemRule"/> ready to serve. Its conditions on stored fields (categories, labels, the expression) are
/// evaluated when an item changes and kept as a bit set over live item indices; the age condition is checked per request
/// against the item's timestamp, because it moves with the clock. Thread-safe: <see cref="Matches"/> never locks;
/// <see cref="Update"/> is called under the catalog's write lock.
/// </summary>
internal sealed class CompiledRule
{
    private readonly HashSet<string>? _categories;
    private readonly HashSet<string>? _labels;
    private readonly HashSet<string>? _excludeCategories;
    private readonly HashSet<string>? _excludeLabels;
    private readonly ItemExpression? _expression;
    private readonly BitSet _items = new();

    public CompiledRule(ItemRule rule, string where)
    {
        _categories = Set(rule.Categories, where + ".Categories");
        _labels = Set(rule.Labels, where + ".Labels");
        _excludeCategories = Set(rule.ExcludeCategories, where + ".ExcludeCategories");
        _excludeLabels = Set(rule.ExcludeLabels, where + ".ExcludeLabels");
        if (rule.MaxAgeDays is { } days)
        {
            if (!(days > 0) || days > 36_500)
            {
                throw new ScenarioException(where + ".MaxAgeDays", $"must be above 0 and at most 36500 days, not {days}.");
            }
            MaxAgeTicks = (long)(days * TimeSpan.TicksPerDay);
        }
        _expression = rule.Expression is null ? null : ItemExpression.Compile(rule.Expression, where + ".Expression");
        Where = where;
    }

    /// <summary>The JSON path of the rule in its scenario (for errors).</summary>
    public string Where { get; }

    /// <summary>The age limit in ticks, or 0 for none.</summary>
    public long MaxAgeTicks { get; }

    /// <summary>
    /// Whether the item matches: its stored fields did when it last changed, and (with an age limit) its timestamp is
    /// at or after <paramref name="oldestTicks"/> (the request's time minus the limit, from <see cref="OldestTicks"/>).
    /// </summary>
    public bool Matches(int itemIndex, ItemCatalog catalog, long oldestTicks) =>
        _items.Contains(itemIndex) && (MaxAgeTicks == 0 || catalog.TimestampTicks(itemIndex) >= oldestTicks);

    /// <summary>Whether the item's stored fields matched when it last changed (the age limit aside).</summary>
    public bool MatchesFields(int itemIndex) => _items.Contains(itemIndex);

    /// <summary>The oldest timestamp (UTC ticks) the age limit admits at <paramref name="nowTicks"/>.</summary>
    public long OldestTicks(long nowTicks) => MaxAgeTicks == 0 ? long.MinValue : nowTicks - MaxAgeTicks;

    /// <summary>Records whether the item's stored fields match; throws <see cref="ScenarioException"/> when the expression fails on it.</summary>
    public void Update(int itemIndex, Item? item) => _items.Set(itemIndex, item is not null && Evaluate(item));

    private bool Evaluate(Item item) =>
        (_categories is null || item.Categories.Any(_categories.Contains))
        && (_labels is null || item.Labels.Any(_labels.Contains))
        && (_excludeCategories is null || !item.Categories.Any(_excludeCategories.Contains))
        && (_excludeLabels is null || !item.Labels.Any(_excludeLabels.Contains))
        && (_expression is null || _expression.Evaluate(item, Where + ".Expression"));

    private static HashSet<string>? Set(IReadOnlyList<string>? values, string where)
    {
        if (values is null)
        {
            return null;
        }
        if (values.Count == 0)
        {
            throw new ScenarioException(where, "is empty; leave it out to match any item.");
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrEmpty(values[i]))
            {
                throw new ScenarioException($"{where}[{i}]", "is empty.");
            }
        }
        return new HashSet<string>(values, StringComparer.Ordinal);
    }
}
