using Fresco.Engine.Catalog;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// An <see cref="ItemRule"/> ready to serve. Its conditions on stored fields (categories, labels, the expression) are
/// evaluated when an item changes and kept as a bit set over live item indices; the age condition is checked per request
/// against the item's timestamp, because it moves with the clock. An expression that reads request parameters keeps one
/// such bit set per set of parameter values asked for (<see cref="ItemsFor"/>: the one with every parameter empty is
/// kept by <see cref="Update"/>, the others, at most <see cref="MaxBindings"/>, are <see cref="ParameterBinding"/>s made
/// on first use and dropped least recently used first). Thread-safe: <see cref="Matches"/> never locks;
/// <see cref="Update"/> is called under the catalog's write lock; a new binding is made under this rule's lock.
/// </summary>
internal sealed class CompiledRule
{
    /// <summary>The most sets of parameter values a rule keeps evaluated.</summary>
    public const int MaxBindings = 64;

    private readonly HashSet<string>? _categories;
    private readonly HashSet<string>? _labels;
    private readonly HashSet<string>? _excludeCategories;
    private readonly HashSet<string>? _excludeLabels;
    private readonly ItemExpression? _expression;
    private readonly BitSet _items = new();
    private readonly Lock _bindingLock = new();
    private ParameterBinding[] _bindings = [];
    private long _clock;
    private bool _retired;
    private string[]? _emptyValues;

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

    /// <summary>The request parameters its expression reads (empty: none).</summary>
    public string[] ParameterNames => _expression?.ParameterNames ?? [];

    /// <summary>Items on which its expression failed under parameter values other than empty ones (they did not match).</summary>
    public long BindingErrors => Volatile.Read(ref _bindings).Sum(b => b.Errors);

    /// <summary>The JSON path of the rule in its scenario (for errors).</summary>
    public string Where { get; }

    /// <summary>The age limit in ticks, or 0 for none.</summary>
    public long MaxAgeTicks { get; }

    /// <summary>
    /// Whether the item matches: its stored fields did when it last changed, and (with an age limit) its timestamp is
    /// at or after <paramref name="oldestTicks"/> (the request's time minus the limit, from <see cref="OldestTicks"/>).
    /// </summary>
    public bool Matches(int itemIndex, ItemCatalog catalog, long oldestTicks) => Matches(_items, itemIndex, catalog, oldestTicks);

    /// <summary>As <see cref="Matches(int, ItemCatalog, long)"/>, with the stored fields' matches of <paramref name="items"/> (from <see cref="ItemsFor"/>).</summary>
    public bool Matches(BitSet items, int itemIndex, ItemCatalog catalog, long oldestTicks) =>
        items.Contains(itemIndex) && (MaxAgeTicks == 0 || catalog.TimestampTicks(itemIndex) >= oldestTicks);

    /// <summary>
    /// The items whose stored fields match under the request's <paramref name="parameters"/> (a parameter it does not
    /// give reads as empty). Without parameters, or with every one it reads empty, the rule's own set; otherwise the
    /// set kept for those values, made on first use by evaluating the expression on every item of
    /// <paramref name="catalog"/> (under its write lock: O(items) on that request only).
    /// </summary>
    public BitSet ItemsFor(IReadOnlyDictionary<string, string>? parameters, ItemCatalog catalog)
    {
        var names = ParameterNames;
        if (names.Length == 0 || parameters is null || parameters.Count == 0 || AllEmpty(names, parameters))
        {
            return _items;
        }
        var bindings = Volatile.Read(ref _bindings);
        foreach (var binding in bindings)
        {
            if (binding.Holds(names, parameters))
            {
                binding.LastUse = Interlocked.Increment(ref _clock);
                return binding.Items;
            }
        }
        return Bind(names, parameters, catalog);
    }

    /// <summary>Stops following the catalog with the bindings (the rule is no longer served); later ones are not kept.</summary>
    public void Retire(ItemCatalog catalog)
    {
        lock (_bindingLock)
        {
            _retired = true;
            foreach (var binding in Volatile.Read(ref _bindings))
            {
                catalog.Detach(binding);
            }
            Volatile.Write(ref _bindings, []);
        }
    }

    private BitSet Bind(string[] names, IReadOnlyDictionary<string, string> parameters, ItemCatalog catalog)
    {
        lock (_bindingLock)
        {
            var bindings = Volatile.Read(ref _bindings);
            foreach (var kept in bindings)
            {
                if (kept.Holds(names, parameters))
                {
                    return kept.Items;
                }
            }
            var binding = new ParameterBinding(this, [.. names.Select(n => ParameterBinding.Value(parameters, n))])
            {
                LastUse = Interlocked.Increment(ref _clock),
            };
            catalog.Attach(binding);
            if (_retired)
            {
                catalog.Detach(binding);
                return binding.Items;
            }
            if (bindings.Length >= MaxBindings)
            {
                var oldest = bindings.MinBy(b => b.LastUse)!;
                catalog.Detach(oldest);
                bindings = [.. bindings.Where(b => !ReferenceEquals(b, oldest))];
            }
            Volatile.Write(ref _bindings, [.. bindings, binding]);
            return binding.Items;
        }
    }

    private static bool AllEmpty(string[] names, IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var name in names)
        {
            if (ParameterBinding.Value(parameters, name).Length > 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the item's stored fields matched when it last changed (the age limit aside).</summary>
    public bool MatchesFields(int itemIndex) => _items.Contains(itemIndex);

    /// <summary>The oldest timestamp (UTC ticks) the age limit admits at <paramref name="nowTicks"/>.</summary>
    public long OldestTicks(long nowTicks) => MaxAgeTicks == 0 ? long.MinValue : nowTicks - MaxAgeTicks;

    /// <summary>Records whether the item's stored fields match; throws <see cref="ScenarioException"/> when the expression fails on it.</summary>
    public void Update(int itemIndex, Item? item) => _items.Set(itemIndex, item is not null && Evaluate(item, EmptyValues()));

    /// <summary>
    /// Whether the item's stored fields match with the parameters of <see cref="ParameterNames"/> set to
    /// <paramref name="values"/>; throws <see cref="ScenarioException"/> when the expression fails on it.
    /// </summary>
    public bool Evaluate(Item item, string[] values) =>
        (_categories is null || item.Categories.Any(_categories.Contains))
        && (_labels is null || item.Labels.Any(_labels.Contains))
        && (_excludeCategories is null || !item.Categories.Any(_excludeCategories.Contains))
        && (_excludeLabels is null || !item.Labels.Any(_excludeLabels.Contains))
        && (_expression is null || _expression.Evaluate(item, values, Where + ".Expression"));

    /// <summary>Every parameter the expression reads, empty (what <see cref="Update"/> evaluates with).</summary>
    private string[] EmptyValues() => _emptyValues ??= [.. ParameterNames.Select(_ => "")];

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
